import { describe, expect, it } from 'vitest';
import { badgeText, blinkTitle, unreadTitle } from '../../renderer/web/titleText.ts';
import { avatarColor, avatarColorCount, initials } from '../../renderer/ui/avatar.ts';

describe('tab title and favicon text', () => {
  it('puts the unread count in front of the app name', () => {
    expect(unreadTitle(0, 'Беседа')).toBe('Беседа');
    expect(unreadTitle(3, 'Беседа')).toBe('(3) Беседа');
    expect(unreadTitle(1500, 'Beseda')).toBe('(999+) Beseda');
  });

  it('draws at most three characters on the favicon', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });

  it('alternates the alert and the normal title', () => {
    expect([0, 1, 2, 3].map((s) => blinkTitle(s, '(1) Беседа', '✉ Новое сообщение'))).toEqual([
      '✉ Новое сообщение',
      '(1) Беседа',
      '✉ Новое сообщение',
      '(1) Беседа',
    ]);
  });
});

describe('avatars', () => {
  it('takes up to two initials', () => {
    expect(initials('Иван Петров')).toBe('ИП');
    expect(initials('мария')).toBe('М');
    expect(initials('  Анна  Мария Ким ')).toBe('АМ');
    expect(initials('«1С» Бухгалтерия')).toBe('1Б');
    expect(initials('')).toBe('?');
  });

  it('derives a stable colour from the user', () => {
    expect(avatarColor(42)).toBe(avatarColor(42));
    const colours = new Set(Array.from({ length: 200 }, (_, i) => avatarColor(i)));
    expect(colours.size).toBe(avatarColorCount);
    for (const c of colours) expect(c).toBeGreaterThanOrEqual(0);
  });
});
