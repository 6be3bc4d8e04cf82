// Logins generated from a person's name for 1C's directory sync: surname and initials, transliterated
// from Russian (and the Cyrillic of neighbouring languages), always a valid login, numbered when taken.
import { describe, expect, it } from 'vitest';
import { loginProblem } from '../../hub/ops/Accounts.ts';
import { loginBase, loginCandidate, transliterate } from '../../hub/ops/integrations/generateLogin.ts';

describe('generateLogin', () => {
  it('surname and initials, as 1C writes «Фамилия Имя Отчество»', () => {
    expect(loginBase('Иванов Иван Иванович')).toBe('ivanov.ii');
    expect(loginBase('  Щукина   Юлия  ')).toBe('shchukina.y');
    expect(loginBase('Хабибуллин Ринат')).toBe('khabibullin.r');
    expect(loginBase('Петров-Водкин Кузьма Сергеевич')).toBe('petrov-vodkin.ks');
    expect(loginBase('Ann Lee')).toBe('ann.l');
    expect(loginBase('Müller Jörg')).toBe('muller.j');
    expect(loginBase('Цой')).toBe('tsoy');
    expect(loginBase('Ёлкин Ёжик Ъ')).toBe('elkin.e');
    expect(loginBase('李小龙')).toBe('user');
  });

  it('transliterates every Russian letter, and the Kazakh and Ukrainian ones', () => {
    expect(transliterate('абвгдеёжзийклмнопрстуфхцчшщъыьэюя')).toBe('abvgdeezhziyklmnoprstufkhtschshshchyeyuya');
    expect(transliterate('Әліқұлова')).toBe('alikulova');
    expect(transliterate('Їжакевич')).toBe('yizhakevich');
  });

  it('numbers the next tries, keeps every candidate a valid login of at most 32 characters', () => {
    expect([1, 2, 3].map((n) => loginCandidate('Иванов Иван Иванович', n))).toEqual([
      'ivanov.ii',
      'ivanov.ii2',
      'ivanov.ii3',
    ]);
    const long = 'Константинопольская-Преображенская Александра Владимировна';
    for (const n of [1, 2, 99, 9999]) {
      const login = loginCandidate(long, n)!;
      expect(login.length).toBeLessThanOrEqual(32);
      expect(loginProblem(login)).toBeUndefined();
    }
    expect(loginCandidate('Я', 1)).toBe('ya');
    expect(loginProblem(loginCandidate('A', 1)!)).toBeUndefined();
  });

  it('skips a reserved word', () => {
    expect(loginCandidate('All', 1)).toBeNull();
    expect(loginCandidate('All', 2)).toBe('all2');
  });
});
