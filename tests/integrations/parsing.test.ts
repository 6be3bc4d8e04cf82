// The pure parts of integrations: Slack markup, CSV reading and text decoding, on their edge cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../hub/ops/integrations/decodeText.ts';
import { normalizeAttachments } from '../../hub/ops/integrations/normalizeAttachments.ts';
import { parseUserCsv } from '../../hub/ops/integrations/parseUserCsv.ts';
import { SlackTexts, translateSlackMarkup } from '../../hub/ops/integrations/slackMarkup.ts';

describe('translateSlackMarkup', () => {
  it('translates links, mentions and escapes; leaves other angle brackets alone', () => {
    expect(translateSlackMarkup('<https://x.ru/a?b=1&amp;c=2|отчёт>')).toBe('[отчёт](https://x.ru/a?b=1&c=2)');
    expect(translateSlackMarkup('<https://x.ru>')).toBe('https://x.ru');
    expect(translateSlackMarkup('<https://x.ru|https://x.ru>')).toBe('https://x.ru');
    expect(translateSlackMarkup('<mailto:a@b.ru>')).toBe('a@b.ru');
    expect(translateSlackMarkup('<!here> <!all> <!channel|channel> <!everyone>')).toBe('@all @all @all @all');
    expect(translateSlackMarkup('<@ivanov> <@U123|petrov> <#C1|general>')).toBe('@ivanov @petrov #general');
    expect(translateSlackMarkup('<!date^1392734382^{date}|Feb 18, 2014>')).toBe('Feb 18, 2014');
    expect(translateSlackMarkup('a <b> c')).toBe('a <b> c');
    expect(translateSlackMarkup('<javascript:alert(1)|click>')).toBe('<javascript:alert(1)|click>');
    expect(translateSlackMarkup('&lt;script&gt; &amp;amp;')).toBe('<script> &amp;');
    // Grafana's mention and Sentry's rule link (spaces around the bar).
    expect(translateSlackMarkup('<!here|here> <https://s.ru/r/7/ | New issues>')).toBe(
      '@all [New issues](https://s.ru/r/7/)',
    );
  });

  it('SlackTexts notes a whole-channel mention in shown mrkdwn only: not in a summary or plain_text', () => {
    const texts = new SlackTexts();
    expect(texts.summary('<!here> <https://x.ru|Open>')).toBe('@all [Open](https://x.ru)');
    expect(texts.plain('<!channel>')).toBe('<!channel>');
    expect(texts.saysAll).toBe(false);
    expect(texts.mrkdwn('*CPU* <!here|here>')).toBe('*CPU* @all');
    expect(texts.saysAll).toBe(true);
  });

  it('never loses text that is not markup', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/[<>&]/.test(s)),
        (s) => translateSlackMarkup(s) === s,
      ),
    );
  });
});

describe('parseUserCsv', () => {
  it('numbers lines as an editor does, across quoted line breaks and CRLF', () => {
    const { entries, errors } = parseUserCsv(
      'login;name\r\nfirst;"Имя\r\nна двух строках"\r\nsecond;Второй\r\nthird\r\n',
    );
    expect(entries.map((e) => [e.line, e.entry.login, e.entry.name])).toEqual([
      [2, 'first', 'Имя\r\nна двух строках'],
      [4, 'second', 'Второй'],
    ]);
    expect(errors).toEqual([{ line: 5, reason: 'expected 2 fields separated by ";", found 1' }]);
  });

  it('reports an unclosed quote, and reads "," files whose names hold no separator', () => {
    expect(parseUserCsv('login;name\nx;"open\n').errors).toEqual([{ line: 2, reason: 'a quoted field is not closed' }]);
    expect(parseUserCsv('login,name,active\nx1,Икс,нет\n').entries[0]!.entry).toEqual({
      login: 'x1',
      name: 'Икс',
      active: false,
    });
  });
});

describe('decodeText', () => {
  it('tells UTF-8 (with or without BOM), UTF-16 with BOM and Windows-1251 apart', () => {
    const text = 'логин;ФИО\nivanov;Иванов Ёж\n';
    expect(decodeText(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({
      text,
      encoding: 'utf-8',
    });
    expect(decodeText(Buffer.from('\uFEFF' + text, 'utf16le'))).toEqual({ text, encoding: 'utf-16le' });
    // "Привет" in Windows-1251.
    expect(decodeText(new Uint8Array([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]))).toEqual({
      text: 'Привет',
      encoding: 'windows-1251',
    });
  });
});

describe('normalizeAttachments', () => {
  it('keeps only known text fields, safe links and valid colours', () => {
    expect(
      normalizeAttachments([
        { color: 'ff0000', title: 'a', title_link: 'ftp://x', image_url: 'https://i', extra: { nested: 1 } },
        { color: 'red', text: '' },
        { fields: [{ title: 'Число', value: 5 }, { title: '', value: '' }, 'junk'] },
      ]),
    ).toEqual([
      // A picture is kept as its (http/https) address, never loaded.
      { color: '#ff0000', title: 'a', imageUrl: 'https://i/' },
      { fields: [{ title: 'Число', value: '5', short: false }] },
    ]);
  });
});
