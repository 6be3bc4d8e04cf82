import { describe, expect, it } from 'vitest';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { matchesFilter, personMatches, roomMatches } from '../../renderer/state/selectors.ts';
import { conversation as sampleConversation, user as sampleUser } from '../e2e/sampleState.ts';

const user = (id: number, login: string, name: string, extra: Partial<User> = {}): User =>
  sampleUser(id, name, 'online', { login, ...extra });

const conversation = (id: number, extra: Partial<Conversation>): Conversation =>
  sampleConversation(id, 'open', '', extra);

describe('every UI search folds case and ё/е the one way (foldForSearch)', () => {
  const anna = user(3, 'fedorova', 'Анна Фёдорова', { branch: 'Самара', position: 'Ведущий бухгалтер' });
  const users = { 3: anna };

  it('sidebar filter and quick switch: a direct conversation by the person, a room by name or topic', () => {
    const direct = conversation(1, { kind: 'direct', peerId: 3, name: 'Анна Фёдорова' });
    const room = conversation(2, { name: 'Отгрузки ЁЛКИ', topic: 'Счёт-фактуры' });
    expect(matchesFilter(direct, users, 'федорова')).toBe(true);
    expect(matchesFilter(direct, users, 'ФЁДОРОВА')).toBe(true);
    expect(matchesFilter(direct, users, 'FEDOR')).toBe(true);
    expect(matchesFilter(room, users, 'елки')).toBe(true);
    expect(matchesFilter(room, users, 'счет')).toBe(true);
    expect(matchesFilter(room, users, 'петров')).toBe(false);
    expect(matchesFilter(room, users, '  ')).toBe(true);
  });

  it('people picker: name, login, branch and position', () => {
    expect(personMatches(anna, 'федорова')).toBe(true);
    expect(personMatches(anna, 'самара')).toBe(true);
    expect(personMatches(anna, 'бухгалтер')).toBe(true);
    expect(personMatches(anna, 'FEDOROVA')).toBe(true);
    expect(personMatches(anna, 'иванов')).toBe(false);
    expect(personMatches(anna, '')).toBe(false);
  });

  it('room browser: name and topic', () => {
    expect(roomMatches({ name: 'Ёлки', topic: '' }, 'елки')).toBe(true);
    expect(roomMatches({ name: 'Склад', topic: 'Приёмка товара' }, 'приемка')).toBe(true);
    expect(roomMatches({ name: 'Склад', topic: '' }, 'касса')).toBe(false);
  });
});
