import { describe, expect, it } from 'vitest';
import type { User } from '../../common/protocol/model.ts';
import { insertMention, matchUsers, mentionAt } from '../../renderer/text/mentions.ts';

const user = (id: number, login: string, name: string, extra: Partial<User> = {}): User => ({
  id,
  login,
  name,
  branch: null,
  isBot: false,
  isAdmin: false,
  disabled: false,
  presence: 'online',
  lastSeen: null,
  ...extra,
});

describe('mentions in the composer', () => {
  it('finds the mention the caret is in', () => {
    expect(mentionAt('@iv', 3)).toEqual({ start: 0, query: 'iv' });
    expect(mentionAt('привет @', 8)).toEqual({ start: 7, query: '' });
    expect(mentionAt('привет @мар и', 11)).toEqual({ start: 7, query: 'мар' });
    expect(mentionAt('почта ivan@corp', 15)).toBeNull();
    expect(mentionAt('@ivan сделай', 12)).toBeNull();
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

  it('replaces the typed part with the login and puts the caret after it', () => {
    expect(insertMention('привет @мар', { start: 7, query: 'мар' }, 'maria')).toEqual({
      text: 'привет @maria ',
      caret: 14,
    });
    expect(insertMention('@i как дела', { start: 0, query: 'i' }, 'ivan')).toEqual({
      text: '@ivan как дела',
      caret: 6,
    });
  });
});
