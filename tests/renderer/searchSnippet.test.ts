import { describe, expect, it } from 'vitest';
import { searchSnippet } from '../../renderer/text/searchSnippet.ts';

const marked = (s: ReturnType<typeof searchSnippet>) =>
  (s.cutStart ? '…' : '') + s.parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('') + (s.cutEnd ? '…' : '');

describe('searchSnippet', () => {
  it('marks the matched words by the hub’s offsets, the rest as plain pieces', () => {
    const text = 'Подпишите акты и передайте актов копии';
    const s = searchSnippet(text, [
      [10, 14],
      [27, 32],
    ]);
    expect(marked(s)).toBe('Подпишите [акты] и передайте [актов] копии');
    expect(s.parts.filter((p) => p.hit).map((p) => p.text)).toEqual(['акты', 'актов']);
  });

  it('starts a little before the first match at a word, cuts long text with an ellipsis, and folds line breaks', () => {
    const before = 'слово '.repeat(30);
    const text = `${before}отгрузка\nзавтра ${'ещё '.repeat(60)}`;
    const at = before.length;
    const s = searchSnippet(text, [[at, at + 8]], 80, 30);
    expect(s.cutStart).toBe(true);
    expect(s.cutEnd).toBe(true);
    const shown = marked(s);
    expect(shown).toMatch(/^…слово /);
    expect(shown).toContain('[отгрузка] завтра');
    expect(shown).not.toContain('\n');
  });

  it('ignores offsets out of range, overlapping or backwards, and never splits a surrogate pair', () => {
    const text = '😀 привет мир';
    const s = searchSnippet(text, [
      [3, 9],
      [5, 7],
      [11, 9],
      [10, 99],
    ]);
    expect(marked(s)).toBe('😀 [привет] мир');
    const emoji = '😀'.repeat(50) + ' цель';
    const cut = searchSnippet(emoji, [[101, 105]], 20, 11);
    expect(cut.parts.map((p) => p.text).join('')).not.toMatch(/^[\udc00-\udfff]/);
  });

  it('keeps direction controls in the pieces for the view to neutralise (offsets stay those of the text)', () => {
    const text = 'файл \u202Egnp.exe готов';
    const s = searchSnippet(text, [[14, 19]]);
    expect(s.parts.find((p) => p.hit)?.text).toBe('готов');
    expect(s.parts[0]!.text).toContain('\u202E');
  });
});
