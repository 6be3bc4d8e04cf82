import { isPlainMailto } from '../../common/text/isPlainMailto.ts';

/** Where a link really goes, as {@link checkLink} found it. */
export interface LinkTarget {
  /** The address as the URL parser re-serialised it: what opens (the host in punycode). */
  href: string;
  /** The host the link goes to as the parser reads it (punycode for international names); '' for mail. */
  host: string;
  /**
   * The host as written mixes alphabets (Latin with Cyrillic or Greek: `аpple.com` with a
   * Cyrillic «а») or holds symbols the parser folds away, the usual ways to imitate another
   * address: the UI shows the real host next to it.
   */
  lookalike: boolean;
}

/**
 * A piece of message text: plain text, a link (with where it goes), an @mention, a 1C navigation
 * link (`e1c://…`, with the address to open, or a bare `e1cib/…`, which only 1C itself can
 * resolve: `href` null) or a Windows network path (`\\server\share\file`, shown to copy, never
 * opened: a `file:` link would hand the OS a path a stranger chose).
 */
export type TextToken =
  | { type: 'text'; text: string }
  | ({ type: 'link'; text: string } & LinkTarget)
  | { type: 'mention'; text: string; login: string }
  | { type: 'onec'; text: string; href: string | null }
  | { type: 'unc'; text: string };

// A link starts at a scheme (http://, https://, mailto:) or at a bare "www." and runs to the next
// whitespace; a mention is @login at a word start; a 1C link starts at `e1c://` or a bare `e1cib/`
// (not inside another address); a network path at `\\server\`. Trailing punctuation is trimmed below.
// What may not stand right before each kind is checked in code (`joins`), not by lookbehind: the
// legacy bundle runs on WebKit older than 16.4 (a 1C form's HTML field), where a lookbehind is a
// syntax error that would stop the whole client (docs/embedding.md).
const pattern =
  /\b(?:https?:\/\/|mailto:)[^\s<>"]+|www\.[^\s<>"]+|@[\p{L}\p{N}._-]*[\p{L}\p{N}_]|(?:e1c:\/\/|e1cib\/)[^\s<>"]+|\\\\[\p{L}\p{N}][^\s<>"|?*\\/]*\\[^\s<>"|?*]*/giu;

/** For each kind of match that may not continue a word, the characters that may not come right before it. */
const joins: readonly [RegExp, RegExp][] = [
  [/^www\./i, /[\p{L}\p{N}._-]/u],
  [/^@/, /[\p{L}\p{N}._@-]/u],
  [/^e1c/i, /[\p{L}\p{N}/#.:-]/u],
  [/^\\/, /[\p{L}\p{N}\\]/u],
];

/** The whole character (a surrogate pair is one) that ends `text` before `index`, or ''. */
export function charBefore(text: string, index: number): string {
  if (index === 0) return '';
  const low = text.charCodeAt(index - 1);
  const pair = index >= 2 && low >= 0xdc00 && low <= 0xdfff;
  return text.slice(pair ? index - 2 : index - 1, index);
}

/** The matches of {@link pattern} in `text`, left to right, minus those that continue a word. */
function* matches(text: string): Generator<{ index: number; raw: string }> {
  const re = new RegExp(pattern.source, pattern.flags);
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    const raw = match[0];
    const guard = joins.find(([kind]) => kind.test(raw))?.[1];
    if (guard?.test(charBefore(text, match.index))) {
      // Refused where it starts: look again from the next character, as a lookbehind would.
      re.lastIndex = match.index + 1;
      continue;
    }
    yield { index: match.index, raw };
  }
}

// Bold and strike marks are punctuation after a link too (`**https://a.ru**`); `_` is not, as
// addresses do end with it.
const trailing = new Set('.,;:!?\'"»…*~');
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Trims what is more likely sentence punctuation than part of the address. Bracket counts are
 * kept as it goes, so a link followed by thousands of `)` is trimmed in one pass.
 */
function trimLink(raw: string): string {
  const count: Record<string, number> = { '(': 0, ')': 0, '[': 0, ']': 0, '{': 0, '}': 0 };
  for (const ch of raw) if (ch in count) count[ch]!++;
  let end = raw.length;
  for (;;) {
    const before = end;
    while (end > 0 && trailing.has(raw[end - 1]!)) end--;
    const last = raw[end - 1];
    // "(see https://x.ru/a_(b))" keeps the balanced bracket, drops the unbalanced one.
    if (last && last in closers && count[last]! > count[closers[last]!]!) {
      count[last]!--;
      end--;
    }
    if (end === before) return raw.slice(0, end);
  }
}

/** The alphabets the letters of a host name are written in. */
function scriptsOf(host: string): Set<string> {
  const scripts = new Set<string>();
  for (const ch of host) {
    if (/\p{Script=Latin}/u.test(ch)) scripts.add('latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) scripts.add('cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) scripts.add('greek');
    else if (/\p{L}/u.test(ch)) scripts.add('other');
  }
  return scripts;
}

/**
 * Whether a link may be shown as a link and opened, and where it really goes: http(s) with a host
 * and no credentials before it (`https://bank.example@evil.example/` goes to evil.example, so it
 * stays text), or a plain `mailto:addr@host`. A bare `www.` address is taken as https.
 */
export function checkLink(link: string): LinkTarget | null {
  const written = /^www\./i.test(link) ? `https://${link}` : link;
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return isPlainMailto(written) ? { href: url.href, host: '', lookalike: false } : null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname || url.username || url.password) return null;
  // The parser forgets an empty "user@" ("https://@evil.example"): refuse any "@" before the path.
  const authority = /^https?:\/\/([^/?#]*)/i.exec(written)?.[1] ?? '';
  if (authority.includes('@')) return null;
  // An IPv6 literal ("[::1]") is ASCII by definition.
  const writtenHost = authority.startsWith('[') ? '' : authority.replace(/:\d*$/, '');
  // Mixed alphabets, or symbols the parser folds into a host name (`⟨`, full-width dots).
  const lookalike = scriptsOf(writtenHost).size > 1 || /[^\p{L}\p{N}\p{M}.-]/u.test(writtenHost);
  return { href: url.href, host: url.hostname, lookalike };
}

/**
 * Splits message text into plain text, links (http, https, plain mailto and bare `www.`; see
 * {@link checkLink}) and @mentions. Pure, so the renderer can turn each token into a text node or
 * an element and the text itself never becomes markup.
 */
export function linkify(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  let plainFrom = 0;
  const pushText = (to: number) => {
    if (to > plainFrom) {
      const prev = tokens.at(-1);
      const piece = text.slice(plainFrom, to);
      if (prev?.type === 'text') prev.text += piece;
      else tokens.push({ type: 'text', text: piece });
    }
  };
  for (const { index: start, raw } of matches(text)) {
    if (raw.startsWith('@')) {
      pushText(start);
      tokens.push({ type: 'mention', text: raw, login: raw.slice(1) });
      plainFrom = start + raw.length;
      continue;
    }
    if (raw.startsWith('\\') || /^e1c/i.test(raw)) {
      const special = specialToken(trimLink(raw));
      if (!special) continue;
      pushText(start);
      tokens.push(special);
      plainFrom = start + special.text.length;
      continue;
    }
    const link = trimLink(raw);
    const target = checkLink(link);
    if (!target || link.length < 5) continue;
    pushText(start);
    tokens.push({ type: 'link', text: link, ...target });
    plainFrom = start + link.length;
  }
  pushText(text.length);
  return tokens;
}

/** The longest 1C link or network path made into one (longer ones stay text). */
const maxSpecialLength = 2048;

/** A 1C link or a network path as a token, or null when it is too long or too short to be one. */
function specialToken(text: string): TextToken | null {
  if (text.length > maxSpecialLength) return null;
  if (text.startsWith('\\\\')) return /^\\\\[^\\]+\\[^\\]/.test(text) ? { type: 'unc', text } : null;
  const lower = text.toLowerCase();
  if (lower.startsWith('e1c://')) return text.length > 6 ? { type: 'onec', text, href: text } : null;
  return text.length > 6 ? { type: 'onec', text, href: null } : null;
}

/**
 * Whether a URL may be handed to the system to open: what {@link checkLink} accepts, written out
 * in full (http(s) without credentials, or a plain mailto).
 */
export function isSafeExternalUrl(url: string): boolean {
  return checkLink(url) !== null && !/^www\./i.test(url);
}
