import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, linkify } from '../../renderer/text/linkify.ts';

const links = (text: string) => linkify(text).filter((t) => t.type === 'link');

describe('linkify', () => {
  it('keeps plain text as one text token', () => {
    expect(linkify('Привет, коллеги!')).toEqual([{ type: 'text', text: 'Привет, коллеги!' }]);
    expect(linkify('')).toEqual([]);
  });

  it('finds http, https and mailto links with the text around them', () => {
    expect(linkify('см. https://portal.corp.ru/doc?id=5 и ответь')).toEqual([
      { type: 'text', text: 'см. ' },
      {
        type: 'link',
        text: 'https://portal.corp.ru/doc?id=5',
        href: 'https://portal.corp.ru/doc?id=5',
        host: 'portal.corp.ru',
        lookalike: false,
      },
      { type: 'text', text: ' и ответь' },
    ]);
    expect(links('http://10.0.0.5:8080/x')).toEqual([
      {
        type: 'link',
        text: 'http://10.0.0.5:8080/x',
        href: 'http://10.0.0.5:8080/x',
        host: '10.0.0.5',
        lookalike: false,
      },
    ]);
    expect(links('пишите на mailto:it@corp.ru.')).toEqual([
      { type: 'link', text: 'mailto:it@corp.ru', href: 'mailto:it@corp.ru', host: '', lookalike: false },
    ]);
  });

  it('turns bare www. addresses into https links', () => {
    expect(links('сайт www.example.com, заходите')).toEqual([
      {
        type: 'link',
        text: 'www.example.com',
        href: 'https://www.example.com/',
        host: 'www.example.com',
        lookalike: false,
      },
    ]);
  });

  it('drops sentence punctuation and unbalanced brackets after a link', () => {
    expect(links('Вот: https://a.ru/x.').map((l) => l.text)).toEqual(['https://a.ru/x']);
    expect(links('(см. https://a.ru/x)').map((l) => l.text)).toEqual(['https://a.ru/x']);
    expect(links('https://ru.wikipedia.org/wiki/Беседа_(значения)!').map((l) => l.text)).toEqual([
      'https://ru.wikipedia.org/wiki/Беседа_(значения)',
    ]);
    expect(links('«https://a.ru/путь»').map((l) => l.text)).toEqual(['https://a.ru/путь']);
  });

  it('links nothing that is not http(s) or mailto', () => {
    expect(links('javascript:alert(1)')).toEqual([]);
    expect(links('file:///etc/passwd ftp://x.ru data:text/html,<b>')).toEqual([]);
    expect(links('https://')).toEqual([]);
    expect(links('lalawww.example.com')).toEqual([]);
  });

  it('never turns markup into anything but text', () => {
    const tokens = linkify('<img src=x onerror=alert(1)>');
    expect(tokens).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
    // A link may not swallow an angle bracket or quote.
    expect(links('<a href="https://evil.ru">x</a>').map((l) => l.text)).toEqual(['https://evil.ru']);
  });

  it('marks @mentions but not e-mail addresses', () => {
    expect(linkify('@ivan, глянь; пиши ivan@corp.ru')).toEqual([
      { type: 'mention', text: '@ivan', login: 'ivan' },
      { type: 'text', text: ', глянь; пиши ivan@corp.ru' },
    ]);
    expect(linkify('спасибо @all.')).toEqual([
      { type: 'text', text: 'спасибо ' },
      { type: 'mention', text: '@all', login: 'all' },
      { type: 'text', text: '.' },
    ]);
  });

  it('reassembles to exactly the input text', () => {
    const samples = [
      'a https://x.ru/a) b (www.y.ru) c mailto:q@w.e, @bob! <script>',
      'https://x.ru https://y.ru\nwww.z.ru',
      '@@a @ b@c',
    ];
    for (const text of samples)
      expect(
        linkify(text)
          .map((t) => t.text)
          .join(''),
      ).toBe(text);
  });

  it('accepts only http(s) and mailto for opening outside', () => {
    expect(isSafeExternalUrl('https://a.ru')).toBe(true);
    expect(isSafeExternalUrl('mailto:a@b.ru')).toBe(true);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('file:///c:/x')).toBe(false);
  });
});
