import { describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import {
  entityAt,
  fromWire,
  insertEntity,
  insertPlain,
  reconcile,
  toWire,
} from '../../renderer/text/mentionEntities.ts';
import type { ComposerText } from '../../renderer/text/mentionEntities.ts';
import { usersByLogin } from '../../renderer/text/mentions.ts';
import { user as sampleUser } from '../e2e/sampleState.ts';

const user = (id: number, login: string, name: string, extra: Partial<User> = {}): User =>
  sampleUser(id, name, 'online', { login, ...extra });

const ivan = user(1, 'ivan', 'Иван Петров');
// A namesake: the same name, another person.
const ivan2 = user(2, 'petrov.i', 'Иван Петров');
const anna = user(3, 'fedorova', 'Анна Фёдорова');
const byLogin = usersByLogin({ 1: ivan, 2: ivan2, 3: anna });
const empty: ComposerText = { display: '', entities: [] };

/** Types `typed` at the end of the text, one character at a time, as the textarea reports it. */
function type(text: ComposerText, typed: string): ComposerText {
  let t = text;
  for (const ch of typed) t = reconcile(t, t.display + ch, t.display.length + 1);
  return t;
}

describe('mention entities in the composer', () => {
  it('inserts a name as an entity and sends it as @login', () => {
    const typed = type(empty, 'Привет, @федо');
    const { text, caret } = insertEntity(typed, 8, typed.display.length, anna);
    expect(text.display).toBe('Привет, @Анна Фёдорова ');
    expect(caret).toBe(text.display.length);
    expect(text.entities).toEqual([{ start: 8, end: 22, login: 'fedorova' }]);
    expect(toWire(text)).toBe('Привет, @fedorova ');
    expect(toWire(type(text, 'как дела?'))).toBe('Привет, @fedorova как дела?');
  });

  it('keeps two people with the same name apart', () => {
    let text = insertEntity(type(empty, '@ив'), 0, 3, ivan).text;
    text = type(text, 'и ');
    text = insertEntity(type(text, '@ив'), text.display.length, text.display.length + 3, ivan2).text;
    expect(text.display).toBe('@Иван Петров и @Иван Петров ');
    expect(toWire(text)).toBe('@ivan и @petrov.i ');
  });

  it('converts @login to names and back without changing the text', () => {
    const wire = 'Коллеги @ivan и @petrov.i, посмотрите. @Fedorova. @all @nobody почта x@ivan.ru';
    const text = fromWire(wire, byLogin);
    expect(text.display).toBe(
      'Коллеги @Иван Петров и @Иван Петров, посмотрите. @Анна Фёдорова. @all @nobody почта x@ivan.ru',
    );
    expect(text.entities.map((e) => e.login)).toEqual(['ivan', 'petrov.i', 'Fedorova']);
    expect(toWire(text)).toBe(wire);
    // Trailing punctuation stays text: "@petrov.i," and "@Fedorova." are the hub's logins too.
    expect(toWire(fromWire('@ivan.', byLogin))).toBe('@ivan.');
    expect(fromWire('@ivan.', byLogin).display).toBe('@Иван Петров.');
  });

  it('breaks an entity cleanly when the user types inside the name', () => {
    const text = fromWire('@ivan привет', byLogin);
    // "@Иван Пе|тров привет": a letter typed inside.
    const inside = reconcile(text, '@Иван Пеxтров привет', 9);
    expect(inside.entities).toEqual([]);
    expect(toWire(inside)).toBe('@Иван Пеxтров привет');
    // Deleting a letter of the name breaks it the same way.
    const deleted = reconcile(text, '@Иван Петов привет', 8);
    expect(toWire(deleted)).toBe('@Иван Петов привет');
  });

  it('moves entities when text changes before them and keeps them when after', () => {
    const text = fromWire('@ivan и @fedorova', byLogin);
    const before = reconcile(text, 'Да, ' + text.display, 4);
    expect(toWire(before)).toBe('Да, @ivan и @fedorova');
    const after = reconcile(text, text.display + '!', text.display.length + 1);
    expect(toWire(after)).toBe('@ivan и @fedorova!');
    // Deleting the whole first name leaves the second.
    const gone = reconcile(text, text.display.slice('@Иван Петров'.length), 0);
    expect(toWire(gone)).toBe(' и @fedorova');
  });

  it('breaks an entity that a letter now joins (it would change the login the hub reads)', () => {
    const text = fromWire('@ivan', byLogin);
    expect(toWire(reconcile(text, '@Иван Петрову', 13))).toBe('@Иван Петрову');
    expect(toWire(reconcile(text, 'a@Иван Петров', 1))).toBe('a@Иван Петров');
    // Punctuation and spaces do not.
    expect(toWire(reconcile(text, '@Иван Петров,', 13))).toBe('@ivan,');
  });

  it('replaces only the typed @query, keeps other entities and reuses a following space', () => {
    const text = fromWire('@ivan  и', byLogin);
    const { text: next, caret } = insertPlain(text, 0, 0, '@all');
    expect(next.display).toBe('@all @Иван Петров  и');
    expect(caret).toBe(5);
    expect(toWire(next)).toBe('@all @ivan  и');
    const middle = insertEntity({ display: 'a @ф b', entities: [] }, 2, 4, anna);
    expect(middle.text.display).toBe('a @Анна Фёдорова b');
    // What the box replaces as its own edit (undoable): the query and the space it reuses.
    expect(middle.replaced).toEqual({ start: 2, end: 5, inserted: '@Анна Фёдорова ' });
  });

  it('says when the caret is inside or at the end of a name (no new @query there)', () => {
    const text = fromWire('@ivan x', byLogin);
    expect(entityAt(text, 0)).toBeUndefined();
    expect(entityAt(text, 5)?.login).toBe('ivan');
    expect(entityAt(text, 12)?.login).toBe('ivan');
    expect(entityAt(text, 13)).toBeUndefined();
  });
});
