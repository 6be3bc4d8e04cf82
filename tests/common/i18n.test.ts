// The translation core both the web client (renderer/i18n) and the desktop shell (main/i18n) use:
// language choice, plural forms and placeholders behave the same on either side.
import { describe, expect, it } from 'vitest';
import { entryParts, fillEntry } from '../../common/i18n/fillEntry.ts';
import { pickLanguage } from '../../common/i18n/pickLanguage.ts';
import { plural } from '../../common/i18n/plural.ts';
import { desktopStrings, pickLocale, ruPlural } from '../../main/i18n/DesktopStrings.ts';
import { translate } from '../../renderer/i18n/translate.ts';

describe('pickLanguage', () => {
  it('takes the first known base language, from tags and OS locale names alike', () => {
    expect(pickLanguage(['de-DE', 'en-GB', 'ru'], { ru: 'ru', en: 'en' }, 'ru')).toBe('en');
    expect(pickLanguage(['ru_RU'], { ru: 'ru', en: 'en' }, 'en')).toBe('ru');
    expect(pickLanguage(['kk-KZ'], { ru: 'ru', kk: 'ru', en: 'en' }, 'en')).toBe('ru');
    expect(pickLanguage([], { en: 'en' }, 'ru')).toBe('ru');
  });

  it('never finds a language on the map object’s prototype', () => {
    expect(pickLanguage(['constructor', 'toString-x', '__proto__'], { ru: 'ru' }, 'en')).toBe('en');
  });

  it('is what the desktop uses, with English as its fallback', () => {
    expect(pickLocale(['de-DE'])).toBe('en');
    expect(pickLocale(['be-BY'])).toBe('ru');
  });
});

describe('plural', () => {
  const ruForms = { one: 'беседа', few: 'беседы', many: 'бесед', other: 'беседы' };
  it('follows each language’s rules', () => {
    expect([1, 2, 5, 11, 12, 21, 22, 25, 111].map((n) => plural('ru', n, ruForms))).toEqual([
      'беседа',
      'беседы',
      'бесед',
      'бесед',
      'бесед',
      'беседа',
      'беседы',
      'бесед',
      'бесед',
    ]);
    expect([0, 1, 2].map((n) => plural('en', n, { one: 'message', other: 'messages' }))).toEqual([
      'messages',
      'message',
      'messages',
    ]);
  });

  it('gives the desktop and the web client the same Russian forms', () => {
    for (let n = 0; n <= 200; n++) {
      expect(ruPlural(n, 'сообщение', 'сообщения', 'сообщений')).toBe(
        fillEntry('ru', { one: 'сообщение', few: 'сообщения', many: 'сообщений', other: 'сообщений' }, { n }),
      );
    }
    expect(desktopStrings('ru').notify.burstOneConversation(21, 'Склад')).toBe('21 новое сообщение · Склад');
    expect(desktopStrings('en').notify.burstTitle(1, 2)).toBe('1 new message in 2 conversations');
  });
});

describe('fillEntry and entryParts', () => {
  it('fill placeholders, pick plural and gendered forms, and keep unknown placeholders', () => {
    expect(fillEntry('ru', '{a} и {b}', { a: 'Иван', b: 'Мария' })).toBe('Иван и Мария');
    expect(fillEntry('en', { one: '{n} file', other: '{n} files' }, { n: 3 })).toBe('3 files');
    expect(fillEntry('ru', { m: 'пригласил', f: 'пригласила', x: 'пригласил(а)' }, { gender: 'f' })).toBe('пригласила');
    expect(fillEntry('ru', { m: 'пригласил', f: 'пригласила', x: 'пригласил(а)' })).toBe('пригласил(а)');
    expect(fillEntry('ru', 'Привет, {name}')).toBe('Привет, {name}');
  });

  it('cut the string at its placeholders, a value never read as a placeholder', () => {
    expect(entryParts('ru', '{name} печатает', { name: '{b}' })).toEqual([
      { text: '{b}', param: 'name' },
      { text: ' печатает' },
    ]);
  });

  it('is what the web client translates with', () => {
    expect(translate('ru', 'typing.two', { a: 'Иван', b: 'Мария' })).toBe(
      fillEntry('ru', '{a} и {b} печатают…', { a: 'Иван', b: 'Мария' }),
    );
  });
});
