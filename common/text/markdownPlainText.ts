/**
 * A message's text as plain words for a one-line preview (conversation list, reply quote, desktop
 * notification): the formatting marks of the Markdown subset the clients read (and Slack's
 * `mrkdwn` from webhooks) are taken out, their words kept — `**жирный**` → `жирный`, `_курсив_`,
 * `~~зачёркнутый~~`, `` `код` `` → their text, `[слова](https://…)` and `<https://…|слова>` →
 * `слова`, `> цитата` → `цитата`, fence lines of a code block dropped (its lines kept), `- пункт`
 * → `• пункт`. What the formatter leaves as typed stays as typed here too: a mark inside a word
 * (`snake_case`, `2*3*4`), next to a backslash, or without its pair. Line breaks are kept (the
 * caller folds them). Every step is one pass over a line, so time grows linearly with the text.
 */
export function markdownPlainText(text: string): string {
  if (!/[*_~`[<>#-]/.test(text)) return text;
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = fenceOf(line);
    if (fence !== null) {
      if (marker && marker.lang === '' && marker.fence[0] === fence[0] && marker.fence.length >= fence.length)
        fence = null;
      else out.push(line);
      continue;
    }
    if (marker) {
      fence = marker.fence;
      continue;
    }
    out.push(plainLine(line));
  }
  return out.join('\n');
}

const fenceLine = /^ {0,3}(`{3,}|~{3,})/;
const fenceLang = /^[\p{L}\p{N}_+#.-]{0,40}$/u;

function fenceOf(line: string): { fence: string; lang: string } | null {
  const match = fenceLine.exec(line);
  if (!match) return null;
  const lang = line.slice(match[0].length).trim();
  return fenceLang.test(lang) ? { fence: match[1]!, lang } : null;
}

/** One line outside code blocks: quote marks and list bullets, then its inline formatting. */
function plainLine(line: string): string {
  let rest = line;
  // Up to three levels of quote, as the formatter reads them.
  for (let depth = 0; depth < 3 && /^ {0,3}>(?: |$)/.test(rest); depth++) rest = rest.replace(/^ {0,3}> ?/, '');
  rest = rest.replace(/^( {0,6})[-*] +(?=\S)/, '$1• ');
  return inline(rest);
}

/** Code spans keep their text as is; the rest loses link syntax and emphasis marks. */
function inline(line: string): string {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let end = i;
    while (line[end] === '`') end++;
    const ticks = line.slice(i, end);
    const close = closingTicks(line, end, ticks.length);
    if (close < 0) {
      i = end;
      continue;
    }
    out += words(line.slice(from, i)) + line.slice(end, close);
    i = from = close + ticks.length;
  }
  return out + words(line.slice(from));
}

/** Where the next run of exactly `length` backticks after `from` starts (-1: none). */
function closingTicks(line: string, from: number, length: number): number {
  for (let i = from; i < line.length;) {
    if (line[i] !== '`') {
      i++;
      continue;
    }
    let end = i;
    while (line[end] === '`') end++;
    if (end - i === length) return i;
    i = end;
  }
  return -1;
}

const linkTarget = /^(?:https?:\/\/|mailto:|e1c:\/\/|e1cib\/)/i;
const bracketLink = /\[([^[\]\n]{1,500})\]\(([^\s<>[\]()]{1,2048})\)/g;
const slackLink = /<((?:https?:\/\/|mailto:)[^\s<>|]{1,2048})(?:\|([^<>\n]{1,500}))?>/gi;
// An opening mark after a non-word (not a backslash) with no space after it; a closing one with
// no space or backslash before it and no word after it. The content holds no mark of its kind.
const emphasis = [
  /(^|[^\p{L}\p{N}\\*])\*\*(?=\S)([^*\n]*?[^\s\\*])\*\*(?![\p{L}\p{N}*])/gu,
  /(^|[^\p{L}\p{N}\\~])~~(?=\S)([^~\n]*?[^\s\\~])~~(?![\p{L}\p{N}~])/gu,
  /(^|[^\p{L}\p{N}\\*])\*(?=[^\s*])([^*\n]*?[^\s\\*])?\*(?![\p{L}\p{N}*])/gu,
  /(^|[^\p{L}\p{N}\\_])_(?=[^\s_])([^_\n]*?[^\s\\_])?_(?![\p{L}\p{N}_])/gu,
  /(^|[^\p{L}\p{N}\\~])~(?=[^\s~])([^~\n]*?[^\s\\~])?~(?![\p{L}\p{N}~])/gu,
];

function words(text: string): string {
  let out = text
    .replace(bracketLink, (all: string, label: string, target: string) => (linkTarget.test(target) ? label : all))
    .replace(slackLink, (_all: string, target: string, label: string | undefined) => label?.trim() || target);
  for (const mark of emphasis)
    out = out.replace(mark, (all: string, before: string, inner: string | undefined) =>
      inner === undefined ? all : before + inner,
    );
  return out;
}
