import type { User } from '../../common/protocol/model.ts';
import { userForWord, wireMentions } from './mentions.ts';

/**
 * The composer's mentions by name. The text on the wire (and in the draft, the edit, the outbox)
 * keeps `@login`, which the hub parses; the message box shows `@Имя Фамилия` instead and
 * remembers, for each such span, whose name it is. Two namesakes are two entities with different
 * logins. A span the user types into stops being a mention and is plain text from then on.
 */
export interface MentionEntity {
  /** Where the `@Name` span starts and ends in the shown text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** The login as the wire text writes it (`@` + this replaces the span). */
  login: string;
}

/** The text the message box shows and the mention spans in it (sorted, not overlapping). */
export interface ComposerText {
  display: string;
  entities: readonly MentionEntity[];
}

/** What a mention looks like in the message box: `@` and the person's name. */
export function mentionLabel(user: Pick<User, 'name'>): string {
  return `@${user.name}`;
}

/** The wire text: every entity's span replaced by `@login`. */
export function toWire(text: ComposerText): string {
  let out = '';
  let at = 0;
  for (const e of text.entities) {
    out += text.display.slice(at, e.start) + '@' + e.login;
    at = e.end;
  }
  return out + text.display.slice(at);
}

/**
 * The shown text of a wire text (editing a message, a draft put back): each `@login` of a known
 * person becomes `@Name` and an entity; unknown logins, `@all` and trailing punctuation stay text.
 * `toWire(fromWire(w))` is `w` again.
 */
export function fromWire(wire: string, byLogin: ReadonlyMap<string, User>): ComposerText {
  let display = '';
  let at = 0;
  const entities: MentionEntity[] = [];
  for (const m of wireMentions(wire)) {
    const found = userForWord(m.word, byLogin);
    if (!found || found.user.disabled) continue;
    const login = m.word.slice(0, found.length);
    display += wire.slice(at, m.start);
    const label = mentionLabel(found.user);
    entities.push({ start: display.length, end: display.length + label.length, login });
    display += label;
    at = m.start + 1 + login.length;
  }
  return { display: display + wire.slice(at), entities };
}

// What may not touch a mention on either side without changing the login the hub reads (or
// making it part of an e-mail address): a mention followed by a letter is no longer that mention.
const joinsBefore = /[\p{L}\p{N}_.@-]$/u;
const joinsAfter = /^[._-]*[\p{L}\p{N}_]/u;

/** The entities whose `@login` would still be read as written, given what is around them now. */
function clean(display: string, entities: readonly MentionEntity[]): MentionEntity[] {
  return entities.filter(
    (e) =>
      e.start >= 0 &&
      e.end <= display.length &&
      display[e.start] === '@' &&
      !joinsBefore.test(display.slice(0, e.start)) &&
      !joinsAfter.test(display.slice(e.end)),
  );
}

/**
 * The entities after the user changed the shown text from `prev.display` to `next` (typing,
 * deleting, pasting, undo). The change is the part between the common start and the common end
 * (`caret`, where the caret is now, places it among repeated letters); entities before it stay,
 * those after it move, and one the change touches inside is broken: its letters stay as typed,
 * plain text. So is one that a letter now joins on either side.
 */
export function reconcile(prev: ComposerText, next: string, caret?: number): ComposerText {
  const old = prev.display;
  const limit = Math.min(old.length, next.length);
  let head = 0;
  const maxHead = caret === undefined ? limit : Math.min(limit, caret);
  while (head < maxHead && old[head] === next[head]) head++;
  let tail = 0;
  const maxTail = Math.min(limit - head, caret === undefined ? limit : next.length - caret);
  while (tail < maxTail && old[old.length - 1 - tail] === next[next.length - 1 - tail]) tail++;
  const changedEnd = old.length - tail;
  const delta = next.length - old.length;
  const kept: MentionEntity[] = [];
  for (const e of prev.entities) {
    if (e.end <= head) kept.push(e);
    else if (e.start >= changedEnd) kept.push({ ...e, start: e.start + delta, end: e.end + delta });
    // else: the change is inside it (or replaced it): plain text now.
  }
  return { display: next, entities: clean(next, kept) };
}

/**
 * A text after a replacement, where the caret goes, and what was replaced in the shown text (so
 * the box can make the same change as an edit of its own, which its undo can take back).
 */
export interface Replacement {
  text: ComposerText;
  caret: number;
  replaced: { start: number; end: number; inserted: string };
}

/**
 * The text with `[start, end)` (the `@query` being typed) replaced by the person's `@Name` and a
 * space, as an entity; a space already after it is reused. Returns where the caret goes.
 */
export function insertEntity(
  text: ComposerText,
  start: number,
  end: number,
  user: Pick<User, 'name' | 'login'>,
): Replacement {
  const label = mentionLabel(user);
  return replaceRange(text, start, end, label, { start, end: start + label.length, login: user.login });
}

/** The text with `[start, end)` replaced by plain `inserted` (and a space), e.g. `@all`. */
export function insertPlain(text: ComposerText, start: number, end: number, inserted: string): Replacement {
  return replaceRange(text, start, end, inserted, null);
}

function replaceRange(
  text: ComposerText,
  start: number,
  end: number,
  inserted: string,
  entity: MentionEntity | null,
): Replacement {
  const before = text.display.slice(0, start);
  const rest = text.display.slice(end);
  const after = rest.replace(/^[^\S\n]*/, '');
  const added = inserted + ' ';
  const display = before + added + after;
  const shift = display.length - text.display.length;
  const entities: MentionEntity[] = [];
  for (const e of text.entities) {
    if (e.end <= start) entities.push(e);
    else if (e.start >= end) entities.push({ ...e, start: e.start + shift, end: e.end + shift });
  }
  if (entity) entities.push(entity);
  entities.sort((a, b) => a.start - b.start);
  const replaced = { start, end: end + (rest.length - after.length), inserted: added };
  return { text: { display, entities: clean(display, entities) }, caret: before.length + added.length, replaced };
}

/** The entity the position is inside or at the end of (the caret there is not typing a new @query). */
export function entityAt(text: ComposerText, position: number): MentionEntity | undefined {
  return text.entities.find((e) => position > e.start && position <= e.end);
}
