import type { Block, Flavour, ListItem } from './MarkdownNode.ts';
import { parseInline } from './parseInline.ts';

/** Quotes inside quotes deeper than this are shown as typed (`>` and all). */
const maxQuoteDepth = 3;

// A fence and what follows it are matched apart (no regex backtracks over a long line of spaces).
const fence = /^ {0,3}(`{3,}|~{3,})/;
const fenceLang = /^[\p{L}\p{N}_+#.-]{0,40}$/u;
const quoteLine = /^ {0,3}>(?: |$)/;
const bulletLine = /^ {0,6}[-*] +(?=\S)/;
// Three digits at most: «2024. Итоги» is a year, not item 2024.
const numberLine = /^ {0,6}(\d{1,3})\. +(?=\S)/;

/**
 * Reads a message's text into blocks: fenced code (```` ```lang ````, to the closing fence or the
 * end), `> ` quotes (their lines read again as blocks, up to three deep), `- `/`* ` and `1. `
 * lists (an item's indented next lines belong to it), and paragraphs: every other run of lines,
 * blank lines and spaces kept as typed. A text with none of these is one paragraph, so it looks
 * exactly as it was written. Each line is looked at a bounded number of times.
 */
export function parseMessage(text: string, flavour: Flavour, depth = 0): Block[] {
  const lines = text.split('\n');
  const blocks: (Block | string)[] = [];
  let para: string[] = [];
  const endPara = () => {
    if (para.length > 0) blocks.push(para.join('\n'));
    para = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const open = fenceOpen(line);
    if (open) {
      endPara();
      i = readFence(lines, i, open.fence, open.lang, blocks);
      continue;
    }
    if (quoteLine.test(line) && depth < maxQuoteDepth) {
      endPara();
      const inner: string[] = [];
      for (; i < lines.length && quoteLine.test(lines[i]!); i++) inner.push(lines[i]!.replace(/^ {0,3}> ?/, ''));
      blocks.push({ type: 'quote', blocks: parseMessage(inner.join('\n'), flavour, depth + 1) });
      continue;
    }
    if (bulletLine.test(line) || numberLine.test(line)) {
      endPara();
      i = readList(lines, i, flavour, blocks);
      continue;
    }
    para.push(line);
    i++;
  }
  endPara();
  // Among other blocks, the blank lines around a paragraph are the blocks' spacing, not its own.
  const alone = blocks.length === 1;
  return blocks.flatMap((block): Block[] => {
    if (typeof block !== 'string') return [block];
    const raw = alone ? block : trimBlankLines(block);
    return alone || raw.trim() ? [{ type: 'para', inline: parseInline(raw, flavour) }] : [];
  });
}

/** The fence (```` ``` ```` or `~~~`, three or more) a line opens a code block with, and its language. */
function fenceOpen(line: string): { fence: string; lang: string } | null {
  const match = fence.exec(line);
  if (!match) return null;
  const lang = line.slice(match[0].length).trim();
  return fenceLang.test(lang) ? { fence: match[1]!, lang } : null;
}

function trimBlankLines(text: string): string {
  const lines = text.split('\n');
  let from = 0;
  let to = lines.length;
  while (from < to && !lines[from]!.trim()) from++;
  while (to > from && !lines[to - 1]!.trim()) to--;
  return lines.slice(from, to).join('\n');
}

/** A fenced code block from line `at`; returns the line after it. */
function readFence(lines: string[], at: number, opened: string, lang: string, blocks: (Block | string)[]): number {
  const body: string[] = [];
  let i = at + 1;
  for (; i < lines.length; i++) {
    const close = fenceOpen(lines[i]!);
    if (close && !close.lang && close.fence[0] === opened[0] && close.fence.length >= opened.length) {
      i++;
      break;
    }
    body.push(lines[i]!);
  }
  blocks.push({ type: 'code', lang, text: body.join('\n') });
  return i;
}

/** A list from line `at` (bulleted or numbered, as its first line is); returns the line after it. */
function readList(lines: string[], at: number, flavour: Flavour, blocks: (Block | string)[]): number {
  const ordered = !bulletLine.test(lines[at]!);
  const marker = ordered ? numberLine : bulletLine;
  const items: { number: number | null; lines: string[] }[] = [];
  let i = at;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const item = marker.exec(line);
    if (item) {
      items.push({ number: ordered ? Number(item[1]) : null, lines: [line.slice(item[0].length)] });
      continue;
    }
    // An indented line that starts no other block continues the item above it.
    if (/^ {2,}\S/.test(line) && !fenceOpen(line) && !quoteLine.test(line)) {
      items.at(-1)!.lines.push(line.trimStart());
      continue;
    }
    break;
  }
  const parsed: ListItem[] = items.map((item) => ({
    number: item.number,
    inline: parseInline(item.lines.join('\n'), flavour),
  }));
  blocks.push({ type: 'list', ordered, items: parsed });
  return i;
}
