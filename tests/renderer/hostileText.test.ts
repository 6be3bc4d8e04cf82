// Hostile text in names, room names, messages and links, on the renderer's side: names inside UI
// strings kept apart so each can be isolated, mail links with parameters and addresses with
// credentials never made into links or opened, the real host of a look-alike address shown.
// neutraliseBidi itself: tests/common/hostileText.test.ts; the rendering: tests/e2e/hostileText.test.ts.
import { describe, expect, it } from 'vitest';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { translate, translateParts } from '../../renderer/i18n/translate.ts';
import { systemTemplate, typingTemplate } from '../../renderer/messages/systemText.ts';
import { checkLink, isSafeExternalUrl, linkify } from '../../renderer/text/linkify.ts';
import { initials } from '../../renderer/ui/avatar.ts';

const controls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const links = (text: string) => linkify(text).filter((t) => t.type === 'link');

describe('user text in UI strings', () => {
  it('cuts a string at its placeholders, so each name can be isolated', () => {
    expect(translateParts('ru', 'typing.two', { a: 'Иван', b: 'Мария' })).toEqual([
      { text: 'Иван', param: 'a' },
      { text: ' и ' },
      { text: 'Мария', param: 'b' },
      { text: ' печатают…' },
    ]);
    expect(translateParts('ru', 'announcement.in', { name: '\u202Eмоноб' })).toEqual([
      { text: 'в «' },
      { text: '\u202Eмоноб', param: 'name' },
      { text: '»' },
    ]);
    // The joined form is what translate gives.
    expect(translate('en', 'typing.one', { a: 'Ivan' })).toBe('Ivan is typing…');
  });

  it('gives system and typing lines their names separately', () => {
    const s = systemTemplate({ event: 'invited', actorId: 1, targetIds: [2, 3] }, (id) => `u${id}`);
    expect(s).toMatchObject({ key: 'system.invited', actor: 'u1', targets: ['u2', 'u3'] });
    expect(typingTemplate([])).toBeNull();
    expect(typingTemplate(['a', 'b', 'c'])).toEqual({ key: 'typing.many', params: { n: 3 } });
  });

  it('takes initials past direction controls', () => {
    expect(initials('\u202EИван Петров')).toBe('ИП');
    expect(initials('\u2067\u2069')).toBe('?');
  });
});

describe('links that are not what they seem', () => {
  it('never links a mail link with parameters, several recipients or encoding', () => {
    for (const text of [
      'mailto:it@corp.ru?attach=/etc/passwd',
      'mailto:it@corp.ru?body=hi',
      'mailto:it@corp.ru?subject=x%0D%0ABcc:all@corp.ru',
      'mailto:it@corp.ru%0Acc:x@y.ru',
      'mailto:it@corp.ru,boss@corp.ru',
      'mailto:it@corp.ru#x',
      'mailto:?to=it@corp.ru',
    ]) {
      expect(links(`пиши ${text} сегодня`), text).toEqual([]);
      expect(isSafeExternalUrl(text), text).toBe(false);
      // Still shown, as text.
      expect(
        linkify(`пиши ${text}`)
          .map((t) => t.text)
          .join(''),
      ).toBe(`пиши ${text}`);
    }
    expect(links('mailto:it@corp.ru').map((l) => l.href)).toEqual(['mailto:it@corp.ru']);
  });

  it('never links an address with credentials before the host', () => {
    for (const text of [
      'https://bank.example@evil.example/',
      'https://bank.example:pin@evil.example/login',
      'https://@evil.example/',
      'http://bank.example%40x@evil.example',
    ]) {
      expect(links(`вход: ${text}`), text).toEqual([]);
      expect(checkLink(text), text).toBeNull();
      expect(isSafeExternalUrl(text), text).toBe(false);
      expect(linkify(text)).toEqual([{ type: 'text', text }]);
    }
    // An "@" after the host is part of the path, not credentials.
    expect(checkLink('https://corp.example/@ivan')?.host).toBe('corp.example');
  });

  it('says where an international address really goes and flags mixed alphabets', () => {
    const [rf] = links('https://пример.рф/отчёт');
    expect(rf).toMatchObject({ host: 'xn--e1afmkfd.xn--p1ai', lookalike: false });
    expect(rf?.type === 'link' && rf.href.startsWith('https://xn--e1afmkfd.xn--p1ai/')).toBe(true);
    // "аpple.com" with a Cyrillic «а».
    const [fake] = links('https://\u0430pple.com/login');
    expect(fake).toMatchObject({ text: 'https://\u0430pple.com/login', lookalike: true });
    expect(fake?.type === 'link' && fake.host).toMatch(/^xn--/);
    expect(links('https://www.example.com:8443/x')[0]).toMatchObject({ lookalike: false });
  });

  it('keeps a direction control made visible out of the link host', () => {
    // The renderer neutralises before linkifying: the marker is ordinary text in the path or
    // spoils the host, never a hidden reordering.
    const tokens = linkify(neutraliseBidi('смотри https://a.ru/\u202Egnp.exe'));
    expect(tokens.map((t) => t.text).join('')).not.toMatch(controls);
    const [odd] = links(neutraliseBidi('https://\u202Eur.a/'));
    expect(odd).toMatchObject({ text: 'https://⟨RLO⟩ur.a/', lookalike: true });
    expect(odd?.type === 'link' && odd.host).toMatch(/^xn--/);
  });
});
