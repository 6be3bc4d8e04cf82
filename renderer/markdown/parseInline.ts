import { checkLink, linkify } from '../text/linkify.ts';
import type { LinkTarget } from '../text/linkify.ts';
import type { Flavour, Inline } from './MarkdownNode.ts';

/** Emphasis nested deeper than this stays as typed (the stack and the element tree stay small). */
const maxDepth = 6;
const maxLabel = 500;
const maxTarget = 2048;

/** A run of `*`, `_` or `~` that may open or close emphasis, with where it stands in the text. */
interface Delim {
  type: 'delim';
  key: string;
  node: 'strong' | 'em' | 'strike';
  text: string;
  canOpen: boolean;
  canClose: boolean;
  start: number;
  end: number;
}

type Piece = Inline | Delim;

/**
 * Reads one paragraph's text into inline nodes: code spans, `[text](url)` links (and Slack's
 * `<url|text>` in the `slack` flavour) first, then links, mentions, 1C links and network paths
 * in what is left (so `https://a.ru/_x_` stays one link), then emphasis in the plain text. Every
 * step is a single pass (or a stack each mark enters and leaves once): time grows linearly with
 * the text, whatever it holds. What is not well-formed Markdown stays exactly as typed: a mark
 * inside a word (`snake_case`, `2*3*4`), next to a backslash (`C:\Users\_temp\`), with a space
 * on its inner side (`a * b`) or without its pair (`№5 *черновик`) is text.
 */
export function parseInline(text: string, flavour: Flavour): Inline[] {
  const pieces: Piece[] = [];
  const closerOf = backtickClosers(text);
  let i = 0;
  let rawFrom = 0;
  const flush = (to: number) => {
    if (to > rawFrom) splitRaw(text, rawFrom, to, flavour, pieces);
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '`') {
      let end = i;
      while (text[end] === '`') end++;
      const close = closerOf(i, end - i);
      if (close < 0) {
        i = end;
        continue;
      }
      flush(i);
      pieces.push({ type: 'code', text: trimCode(text.slice(end, close)) });
      i = rawFrom = close + (end - i);
      continue;
    }
    const atom = c === '[' ? bracketLink(text, i) : c === '<' && flavour === 'slack' ? slackLink(text, i) : null;
    if (atom) {
      flush(i);
      pieces.push(atom.node);
      i = rawFrom = atom.end;
      continue;
    }
    i++;
  }
  flush(text.length);
  return buildTree(pieces, matchDelims(pieces, wordCounts(text)));
}

/** For each run of backticks, where the next run of the same length starts (-1: none); asked left to right. */
function backtickClosers(text: string): (start: number, length: number) => number {
  const byLength = new Map<number, number[]>();
  for (let i = 0; i < text.length;) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let end = i;
    while (text[end] === '`') end++;
    const list = byLength.get(end - i) ?? [];
    list.push(i);
    byLength.set(end - i, list);
    i = end;
  }
  const next = new Map<number, number>();
  return (start, length) => {
    const list = byLength.get(length);
    if (!list) return -1;
    let p = next.get(length) ?? 0;
    while (p < list.length && list[p]! <= start) p++;
    next.set(length, p);
    return p < list.length ? list[p]! : -1;
  };
}

/** `` ` a ` `` shows `a`: one space inside each end is padding, as in CommonMark. */
function trimCode(code: string): string {
  return code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() ? code.slice(1, -1) : code;
}

/** `[label](target)` at `at`: the label has no brackets or line breaks, the target no spaces. */
function bracketLink(text: string, at: number): { node: Inline; end: number } | null {
  let j = at + 1;
  while (j < text.length && j - at <= maxLabel && !'[]\n'.includes(text[j]!)) j++;
  if (text[j] !== ']' || j === at + 1 || text[j + 1] !== '(') return null;
  let k = j + 2;
  let depth = 0;
  while (k < text.length && k - j <= maxTarget && !/[\s<>[\]]/.test(text[k]!)) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && depth-- === 0) break;
    k++;
  }
  if (text[k] !== ')') return null;
  const node = labelled(text.slice(at + 1, j), text.slice(j + 2, k));
  return node && { node, end: k + 1 };
}

/** Slack's `<url>` and `<url|label>` at `at`; anything else in angle brackets stays text. */
function slackLink(text: string, at: number): { node: Inline; end: number } | null {
  let j = at + 1;
  while (j < text.length && j - at <= maxTarget + maxLabel && !'<>\n'.includes(text[j]!)) j++;
  if (text[j] !== '>') return null;
  const inner = text.slice(at + 1, j);
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? '' : inner.slice(bar + 1);
  if (label.trim()) {
    const node = labelled(label, target);
    return node && { node, end: j + 1 };
  }
  const tokens = linkify(target);
  const only = tokens.length === 1 ? tokens[0]! : null;
  if (!only || only.type === 'text' || only.type === 'mention' || only.text !== target) return null;
  return { node: only, end: j + 1 };
}

/** A labelled link, if the target is one the app opens: http(s), a plain mailto, or 1C. */
function labelled(label: string, target: string): Inline | null {
  if (!label.trim() || target.length > maxTarget) return null;
  if (/^(?:e1c:\/\/|e1cib\/)\S/i.test(target))
    return { type: 'labelled-onec', label, link: target, href: /^e1c:/i.test(target) ? target : null };
  if (!/^(?:https?:\/\/|mailto:)/i.test(target)) return null;
  const found = checkLink(target);
  if (!found) return null;
  return { type: 'labelled', label, href: found.href, host: found.host, misleading: misleading(label, found) };
}

/**
 * Whether a link's words name another place than it goes to: a host-like word (`sber.ru`,
 * `https://x.ru/a`, `it@corp.ru`) other than the target's host (or, for mail, its address), or a
 * target host that imitates another one.
 */
function misleading(label: string, target: LinkTarget): boolean {
  if (target.lookalike) return true;
  const mail = target.href.startsWith('mailto:') ? target.href.slice(7).toLowerCase() : null;
  const ownHost = bareHost(mail ? mail.slice(mail.indexOf('@') + 1) : target.host);
  for (const word of label.split(/[\s,;()«»"'<>[\]]+/)) {
    const withoutScheme = word.replace(/^[a-z][a-z0-9+.-]*:(?:\/\/)?/i, '');
    const authority = withoutScheme.split(/[/?#]/)[0]!.replace(/[.:]+$/, '');
    const at = authority.lastIndexOf('@');
    const host = authority.slice(at + 1).replace(/:\d*$/, '');
    if (!/\.\p{L}{2,}$/u.test(host) && !/^\d+(?:\.\d+){3}$/.test(host)) continue;
    if (at >= 0 && mail && authority.toLowerCase() !== mail) return true;
    let named: string;
    try {
      named = bareHost(new URL(`http://${host}`).hostname);
    } catch {
      return true;
    }
    if (named !== ownHost) return true;
  }
  return false;
}

function bareHost(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

/**
 * Plain text between code spans and labelled links: links, mentions, 1C links and paths found
 * (see linkify), and the `*`, `_`, `~` runs of the rest as candidate marks.
 */
function splitRaw(text: string, from: number, to: number, flavour: Flavour, out: Piece[]): void {
  let at = from;
  for (const token of linkify(text.slice(from, to))) {
    if (token.type !== 'text') out.push(token);
    else splitMarks(text, at, at + token.text.length, flavour, out);
    at += token.text.length;
  }
}

function splitMarks(text: string, from: number, to: number, flavour: Flavour, out: Piece[]): void {
  let plain = from;
  let i = from;
  while (i < to) {
    const c = text[i]!;
    if (c !== '*' && c !== '_' && c !== '~') {
      i++;
      continue;
    }
    let end = i;
    while (end < to && text[end] === c) end++;
    const node = markNode(c, end - i, flavour);
    if (node) {
      if (i > plain) out.push({ type: 'text', text: text.slice(plain, i) });
      const before = text[i - 1];
      const after = text[end];
      out.push({
        type: 'delim',
        key: `${c}${end - i}`,
        node,
        text: text.slice(i, end),
        canOpen: !isSpace(after) && !isWordy(before) && (end - i > 1 || opensWord(after)),
        canClose: !isSpace(before) && !isWordy(after) && before !== '\\' && (end - i > 1 || endsWord(before)),
        start: i,
        end,
      });
      plain = end;
    }
    i = end;
  }
  if (to > plain) out.push({ type: 'text', text: text.slice(plain, to) });
}

/** What a run of marks means in a flavour (null: none, it is text). */
function markNode(c: string, length: number, flavour: Flavour): Delim['node'] | null {
  if (c === '_') return length === 1 ? 'em' : null;
  if (c === '~') return length === 2 || (length === 1 && flavour === 'slack') ? 'strike' : null;
  if (length === 2) return 'strong';
  return length === 1 ? (flavour === 'slack' ? 'strong' : 'em') : null;
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || /\s/.test(c);
}

// A single mark hugs a word, a quotation, a link or code: `_слово_`, `*«цитата»*`, and a label's
// colon, as alerting tools write it (`*Severity:* critical`); never the punctuation of emoticons
// (`^_^`, `>_<`, `*_*`, `:-*`).
function opensWord(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}«"'([@#`]/u.test(c);
}

function endsWord(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}»"')\]!?.…`:]/u.test(c);
}

/** Letters, digits and a backslash: a mark touching one of them on its outer side is text. */
function isWordy(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}\\]/u.test(c);
}

/** How many letters and digits come before each position (emphasis needs one inside). */
function wordCounts(text: string): Int32Array {
  const counts = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i++) counts[i + 1] = counts[i]! + (/[\p{L}\p{N}]/u.test(text[i]!) ? 1 : 0);
  return counts;
}

/**
 * Pairs openers with closers: a closer takes the nearest open mark of its kind, and the marks
 * opened after that one stay text (so pairs nest properly). Each mark is pushed and popped at
 * most once. Returns, for each paired opener's index, its closer's index.
 */
function matchDelims(pieces: Piece[], words: Int32Array): Map<number, number> {
  const pairs = new Map<number, number>();
  const stack: number[] = [];
  const open = new Map<string, number>();
  pieces.forEach((piece, k) => {
    if (piece.type !== 'delim') return;
    if (piece.canClose && (open.get(piece.key) ?? 0) > 0) {
      for (;;) {
        const o = stack.pop()!;
        const opener = pieces[o] as Delim;
        open.set(opener.key, open.get(opener.key)! - 1);
        if (opener.key !== piece.key) continue;
        if (words[piece.start]! - words[opener.end]! > 0) {
          pairs.set(o, k);
          return;
        }
        break;
      }
    }
    if (piece.canOpen && stack.length < maxDepth) {
      stack.push(k);
      open.set(piece.key, (open.get(piece.key) ?? 0) + 1);
    }
  });
  return pairs;
}

/** The nodes, with paired marks turned into elements around what is between them. */
function buildTree(pieces: Piece[], pairs: Map<number, number>): Inline[] {
  const closers = new Set(pairs.values());
  const root: Inline[] = [];
  const frames: { node: Delim['node']; children: Inline[] }[] = [];
  const push = (node: Inline) => {
    const into = frames.at(-1)?.children ?? root;
    const last = into.at(-1);
    if (node.type === 'text' && last?.type === 'text') last.text += node.text;
    else into.push(node);
  };
  pieces.forEach((piece, k) => {
    if (piece.type !== 'delim') return push(piece);
    if (pairs.has(k)) return void frames.push({ node: piece.node, children: [] });
    if (closers.has(k)) {
      const frame = frames.pop()!;
      return push({ type: frame.node, children: frame.children });
    }
    push({ type: 'text', text: piece.text });
  });
  return root;
}
