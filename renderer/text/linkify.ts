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

/** A piece of message text: plain text, a link (with where it goes) or an @mention. */
export type TextToken =
  | { type: 'text'; text: string }
  | ({ type: 'link'; text: string } & LinkTarget)
  | { type: 'mention'; text: string; login: string };

// A link starts at a scheme (http://, https://, mailto:) or at a bare "www." and runs to the next
// whitespace; a mention is @login at a word start. Trailing punctuation is trimmed below.
const pattern =
  /(?:\b(?:https?:\/\/|mailto:)|(?<![\p{L}\p{N}._-])www\.)[^\s<>"]+|(?<![\p{L}\p{N}._@-])@[\p{L}\p{N}._-]*[\p{L}\p{N}_]/giu;

const trailing = /[.,;:!?'"»…]+$/u;
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Trims what is more likely sentence punctuation than part of the address. */
function trimLink(raw: string): string {
  let link = raw;
  for (;;) {
    const before = link;
    link = link.replace(trailing, '');
    const last = link.at(-1);
    if (last && last in closers) {
      // "(see https://x.ru/a_(b))" keeps the balanced bracket, drops the unbalanced one.
      const open = closers[last]!;
      const opens = link.split(open).length - 1;
      const closes = link.split(last).length - 1;
      if (closes > opens) link = link.slice(0, -1);
    }
    if (link === before) return link;
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
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const raw = match[0];
    if (raw.startsWith('@')) {
      pushText(start);
      tokens.push({ type: 'mention', text: raw, login: raw.slice(1) });
      plainFrom = start + raw.length;
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

/**
 * Whether a URL may be handed to the system to open: what {@link checkLink} accepts, written out
 * in full (http(s) without credentials, or a plain mailto).
 */
export function isSafeExternalUrl(url: string): boolean {
  return checkLink(url) !== null && !/^www\./i.test(url);
}
