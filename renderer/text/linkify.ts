/** A piece of message text: plain text, a link (with the address to open) or an @mention. */
export type TextToken =
  | { type: 'text'; text: string }
  | { type: 'link'; text: string; href: string }
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

function hrefFor(link: string): string | null {
  const href = /^www\./i.test(link) ? `https://${link}` : link;
  try {
    const url = new URL(href);
    if (url.protocol === 'mailto:') return url.pathname.includes('@') ? href : null;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.hostname ? href : null;
  } catch {
    return null;
  }
}

/**
 * Splits message text into plain text, links (http, https, mailto and bare `www.`) and
 * @mentions. Pure, so the renderer can turn each token into a text node or an element and the
 * text itself never becomes markup.
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
    const href = hrefFor(link);
    if (!href || link.length < 5) continue;
    pushText(start);
    tokens.push({ type: 'link', text: link, href });
    plainFrom = start + link.length;
  }
  pushText(text.length);
  return tokens;
}

/** Whether a URL may be handed to the system to open: http(s) and mailto only. */
export function isSafeExternalUrl(url: string): boolean {
  return hrefFor(url) !== null && !/^www\./i.test(url);
}
