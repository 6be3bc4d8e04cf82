import { describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import { matchUsers, mayMentionAll, mentionAt, wireMentions } from '../../renderer/text/mentions.ts';
import { user as sampleUser } from '../e2e/sampleState.ts';

const user = (id: number, login: string, name: string, extra: Partial<User> = {}): User =>
  sampleUser(id, name, 'online', { login, ...extra });

describe('mentions in the composer', () => {
  it('finds the mention the caret is in', () => {
    expect(mentionAt('@iv', 3)).toEqual({ start: 0, query: 'iv' });
    expect(mentionAt('привет @', 8)).toEqual({ start: 7, query: '' });
    expect(mentionAt('привет @мар и', 11)).toEqual({ start: 7, query: 'мар' });
    expect(mentionAt('почта ivan@corp', 15)).toBeNull();
    // One space may follow the first word: a name typed as it is said.
    expect(mentionAt('@мария ив', 9)).toEqual({ start: 0, query: 'мария ив' });
    expect(mentionAt('@ivan сделай это', 16)).toBeNull();
    expect(mentionAt('@ivan\nсделай', 12)).toBeNull();
  });

  it('offers logins and names that start with the query first', () => {
    const users = [
      user(1, 'ivan', 'Иван Петров'),
      user(2, 'maria', 'Мария Иванова'),
      user(3, 'petrov2', 'Пётр Иванов'),
      user(4, 'old', 'Иван Старый', { disabled: true }),
      user(5, 'me', 'Я Сам'),
    ];
    expect(matchUsers(users, 'iv', 5).map((u) => u.login)).toEqual(['ivan']);
    expect(matchUsers(users, 'иван', 5).map((u) => u.login)).toEqual(['ivan', 'maria', 'petrov2']);
    expect(matchUsers(users, '', 5).map((u) => u.login)).toEqual(['ivan', 'maria', 'petrov2']);
    expect(matchUsers(users, 'ме', 1)).toEqual([]);
    expect(matchUsers(users, '', null, 2)).toHaveLength(2);
  });

  it('folds case and ё/е the one way every search does', () => {
    const users = [user(1, 'fedorova', 'Анна Фёдорова'), user(2, 'ivan', 'Иван Петров')];
    expect(matchUsers(users, 'федорова', null).map((u) => u.login)).toEqual(['fedorova']);
    expect(matchUsers(users, 'ФЁД', null).map((u) => u.login)).toEqual(['fedorova']);
    expect(matchUsers(users, 'анна фе', null).map((u) => u.login)).toEqual(['fedorova']);
    expect(matchUsers(users, 'IVAN', null).map((u) => u.login)).toEqual(['ivan']);
  });

  it('reads @login words as the hub does, leaving out @all', () => {
    expect(wireMentions('@ivan, @all и @Maria. почта a@b.ru')).toEqual([
      { start: 0, word: 'ivan' },
      { start: 14, word: 'Maria.' },
    ]);
  });

  it('offers @all only where the hub lets it notify everyone', () => {
    const room = { kind: 'open', ownerId: 1 } as never;
    const general = { kind: 'general', ownerId: null } as never;
    expect(mayMentionAll(user(1, 'owner', 'Владелец'), room)).toBe(true);
    expect(mayMentionAll(user(2, 'member', 'Участник'), room)).toBe(false);
    expect(mayMentionAll(user(2, 'member', 'Участник'), general)).toBe(false);
    expect(mayMentionAll(user(3, 'admin', 'Админ', { isAdmin: true }), general)).toBe(true);
    expect(mayMentionAll(user(4, 'bot', 'Бот', { isBot: true }), general)).toBe(true);
  });
});
