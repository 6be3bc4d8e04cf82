import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en.ts';
import { ru } from '../../renderer/i18n/ru.ts';
import { guessGender } from '../../renderer/i18n/guessGender.ts';
import { translate } from '../../renderer/i18n/translate.ts';
import { detectLanguage } from '../../renderer/i18n/language.ts';
import { dayLabel, lastSeenWhen, waitLabel } from '../../renderer/format/dates.ts';
import { systemText, typingText } from '../../renderer/messages/systemText.ts';

describe('i18n', () => {
  it('picks Russian plural forms', () => {
    const members = (n: number) => translate('ru', 'conversation.members', { n });
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111].map(members)).toEqual([
      '1 участник',
      '2 участника',
      '4 участника',
      '5 участников',
      '11 участников',
      '12 участников',
      '21 участник',
      '22 участника',
      '25 участников',
      '101 участник',
      '111 участников',
    ]);
  });

  it('picks English plural forms', () => {
    expect(translate('en', 'conversation.members', { n: 1 })).toBe('1 member');
    expect(translate('en', 'conversation.members', { n: 0 })).toBe('0 members');
    expect(translate('en', 'conversation.members', { n: 3 })).toBe('3 members');
  });

  it('has the same keys and placeholders in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
    const placeholders = (entry: unknown) =>
      [...new Set(JSON.stringify(entry).match(/\{\w+\}/g) ?? [])].sort().join(',');
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) {
      expect(placeholders(en[key]), key).toBe(placeholders(ru[key]));
    }
  });

  it('follows the browser language, Russian by default', () => {
    expect(detectLanguage(['en-US', 'ru'])).toBe('en');
    expect(detectLanguage(['ru-RU'])).toBe('ru');
    expect(detectLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(detectLanguage(['kk-KZ'])).toBe('ru');
    expect(detectLanguage([])).toBe('ru');
  });

  it('guesses the gender of Russian names, neutral when unsure', () => {
    expect(guessGender('Иван Петров')).toBe('m');
    expect(guessGender('Мария Иванова')).toBe('f');
    expect(guessGender('Петрова Мария Ивановна')).toBe('f');
    expect(guessGender('Сидоров Никита Ильич')).toBe('m');
    expect(guessGender('Никита')).toBe('m');
    expect(guessGender('Анна Ким')).toBe('x');
    expect(guessGender('John Smith')).toBe('x');
    expect(guessGender('Бухгалтерия')).toBe('f');
    expect(guessGender('')).toBe('x');
  });

  it('renders system events in the UI language', () => {
    const names: Record<number, string> = { 1: 'Иван Петров', 2: 'Мария Иванова', 3: 'Анна Ким' };
    const nameOf = (id: number) => names[id] ?? `#${id}`;
    expect(systemText({ event: 'invited', actorId: 1, targetIds: [2] }, nameOf, 'ru')).toBe(
      'Иван Петров пригласил: Мария Иванова',
    );
    expect(systemText({ event: 'invited', actorId: 2, targetIds: [1, 3] }, nameOf, 'ru')).toBe(
      'Мария Иванова пригласила: Иван Петров и Анна Ким',
    );
    expect(systemText({ event: 'left', actorId: 3 }, nameOf, 'ru')).toBe('Анна Ким покинул(а) комнату');
    expect(systemText({ event: 'renamed', actorId: 1, value: 'Склад' }, nameOf, 'ru')).toBe(
      'Иван Петров переименовал комнату в «Склад»',
    );
    expect(systemText({ event: 'topic', actorId: 2, value: '' }, nameOf, 'ru')).toBe(
      'Мария Иванова убрала тему комнаты',
    );
    expect(systemText({ event: 'invited', actorId: 1, targetIds: [2, 3] }, nameOf, 'en')).toBe(
      'Иван Петров invited Мария Иванова and Анна Ким',
    );
  });

  it('says who is typing', () => {
    expect(typingText([], 'ru')).toBe('');
    expect(typingText(['Иван'], 'ru')).toBe('Иван печатает…');
    expect(typingText(['Иван', 'Мария'], 'ru')).toBe('Иван и Мария печатают…');
    expect(typingText(['a', 'b', 'c'], 'ru')).toBe('3 человека печатают…');
    expect(typingText(['a', 'b', 'c', 'd', 'e'], 'en')).toBe('5 people are typing…');
  });

  it('labels days and last-seen times relative to now', () => {
    const now = new Date(2024, 2, 12, 15, 0).getTime();
    expect(dayLabel(new Date(2024, 2, 12, 0, 1).getTime(), now, 'ru')).toBe('Сегодня');
    expect(dayLabel(new Date(2024, 2, 11, 23, 59).getTime(), now, 'ru')).toBe('Вчера');
    expect(dayLabel(new Date(2024, 2, 5, 10, 0).getTime(), now, 'ru')).toBe('5 марта');
    expect(dayLabel(new Date(2023, 11, 31, 10, 0).getTime(), now, 'ru')).toMatch(/^31 декабря 2023/);
    expect(dayLabel(new Date(2024, 2, 11, 10, 0).getTime(), now, 'en')).toBe('Yesterday');
    expect(lastSeenWhen(now - 20_000, now, 'ru')).toBe('только что');
    expect(lastSeenWhen(now - 5 * 60_000, now, 'ru')).toBe('5 мин. назад');
    expect(translate('ru', 'presence.lastSeen', { when: lastSeenWhen(now - 5 * 60_000, now, 'ru') })).toBe(
      'был(а) в сети 5 мин. назад',
    );
    expect(lastSeenWhen(new Date(2024, 2, 11, 14, 5).getTime(), now, 'ru')).toBe('вчера в 14:05');
  });

  it('says how long to wait in words', () => {
    expect(waitLabel(1, 'ru')).toBe('1 секунду');
    expect(waitLabel(3_000, 'ru')).toBe('3 секунды');
    expect(waitLabel(45_000, 'ru')).toBe('45 секунд');
    expect(waitLabel(90_000, 'ru')).toBe('2 минуты');
    expect(waitLabel(300_000, 'en')).toBe('5 minutes');
  });
});
