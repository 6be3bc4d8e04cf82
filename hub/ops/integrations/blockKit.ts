import type { Block } from '../../../common/protocol/model.ts';
import { HookRefusal } from './HookRefusal.ts';
import type { SlackTexts } from './slackMarkup.ts';

/** Slack's own limits (a payload over them is refused by Slack too), which the stored shape keeps. */
const maxBlocks = 50;
const maxText = 3000;
const maxItems = 10;
const maxUrl = 2000;
const maxAlt = 2000;
const maxLinkText = 200;
const linksPerBlock = 5;

type Raw = Record<string, unknown>;

/**
 * Turns Slack Block Kit blocks (a webhook's or a bot's `blocks`, or an attachment's) into the
 * subset the hub keeps ({@link Block}): `header`, `section` (text, fields, an image accessory as a
 * link, a url button accessory as a link), `context` (texts; an image element becomes its alt
 * text), `divider`, `image` (a link), and `actions` reduced to its url buttons (`links`). Texts
 * are translated like the message text (`mrkdwn` through {@link SlackTexts}, `plain_text` kept as
 * written); other blocks (rich_text, video, …) are dropped, their readable text kept as a section.
 * Addresses are http(s) only: another one is dropped, an image keeping its alt text. A list that is
 * not a list of objects, or texts over Slack's limits, is `bad_request` naming the block.
 */
export function convertBlocks(input: unknown, texts: SlackTexts, where = 'blocks'): Block[] {
  const list = blockList(input, where);
  if (list.length > maxBlocks)
    throw invalid(`"${where}" has ${list.length} blocks; a message may have at most ${maxBlocks}`);
  const out: Block[] = [];
  for (const [i, raw] of list.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw invalid(`${where}[${i}] must be an object with a "type"`);
    out.push(...convertBlock(raw as Raw, texts, `${where}[${i}]`));
  }
  if (out.length > maxBlocks)
    throw invalid(`"${where}" makes ${out.length} blocks once its buttons are split; at most ${maxBlocks} are kept`);
  return out;
}

/** `blocks` as a list: Slack also takes it as JSON text (a form field, an API call's parameter). */
function blockList(input: unknown, where: string): unknown[] {
  let value = input;
  if (typeof value === 'string') {
    if (value.trim() === '') return [];
    try {
      value = JSON.parse(value);
    } catch {
      throw invalid(`"${where}" is text that is not a JSON list of blocks`);
    }
  }
  if (!Array.isArray(value)) throw invalid(`"${where}" must be a list of blocks`);
  return value;
}

function convertBlock(b: Raw, texts: SlackTexts, at: string): Block[] {
  switch (b.type) {
    case 'header': {
      const text = textOf(b.text, texts, `${at}.text`);
      return text === undefined ? [] : [{ type: 'header', text }];
    }
    case 'section':
      return section(b, texts, at);
    case 'context':
      return context(b, texts, at);
    case 'divider':
      return [{ type: 'divider' }];
    case 'image': {
      const alt = limited(stringOf(b.alt_text) ?? '', maxAlt, `${at}.alt_text`);
      const title = textOf(b.title, texts, `${at}.title`);
      const url = urlOf(b.image_url);
      if (url === undefined) {
        const words = [title, alt].filter((t): t is string => t !== undefined && t.trim() !== '');
        return words.length === 0 ? [] : [{ type: 'context', elements: words }];
      }
      return [title === undefined ? { type: 'image', url, alt } : { type: 'image', url, alt, title }];
    }
    case 'actions':
      return linkBlocks(Array.isArray(b.elements) ? b.elements : [], at);
    default: {
      // A block the hub does not keep: its readable words stay (rich_text is what Slack's own
      // editor and Workflow Builder send), the rest of it goes.
      const text = looseText(b, texts);
      return text === undefined ? [] : [{ type: 'section', text: limited(text, maxText, at) }];
    }
  }
}

function section(b: Raw, texts: SlackTexts, at: string): Block[] {
  const block: Extract<Block, { type: 'section' }> = { type: 'section' };
  const text = textOf(b.text, texts, `${at}.text`);
  if (text !== undefined) block.text = text;
  if (Array.isArray(b.fields)) {
    if (b.fields.length > maxItems)
      throw invalid(`${at}.fields has ${b.fields.length} fields; a section may have at most ${maxItems}`);
    const fields = b.fields
      .map((f, i) => textOf(f, texts, `${at}.fields[${i}]`))
      .filter((f): f is string => f !== undefined);
    if (fields.length > 0) block.fields = fields;
  }
  const extra: Block[] = [];
  const accessory = isObject(b.accessory) ? b.accessory : undefined;
  if (accessory?.type === 'image') {
    const url = urlOf(accessory.image_url);
    const alt = limited(stringOf(accessory.alt_text) ?? '', maxAlt, `${at}.accessory.alt_text`);
    if (url !== undefined) block.image = { url, alt };
  } else if (accessory?.type === 'button') {
    extra.push(...linkBlocks([accessory], `${at}.accessory`));
  }
  const kept = block.text !== undefined || block.fields !== undefined || block.image !== undefined;
  return kept ? [block, ...extra] : extra;
}

function context(b: Raw, texts: SlackTexts, at: string): Block[] {
  const elements = Array.isArray(b.elements) ? b.elements : [];
  if (elements.length > maxItems)
    throw invalid(`${at}.elements has ${elements.length} elements; a context may have at most ${maxItems}`);
  const words: string[] = [];
  for (const [i, e] of elements.entries()) {
    if (!isObject(e)) continue;
    // An icon in a context line (an avatar, a logo): its alt text says what it showed.
    const word =
      e.type === 'image'
        ? limited(stringOf(e.alt_text) ?? '', maxText, `${at}.elements[${i}].alt_text`)
        : textOf(e, texts, `${at}.elements[${i}]`);
    if (word !== undefined && word.trim() !== '') words.push(word);
  }
  return words.length === 0 ? [] : [{ type: 'context', elements: words }];
}

/**
 * The url buttons of an `actions` block, a section's button or a legacy attachment's `actions`
 * (Alertmanager's "Runbook", "Silence"), five links to a block; buttons that only call back into a
 * Slack app are dropped. A label is a text object or, in legacy attachments, a string.
 */
export function linkBlocks(elements: unknown[], at: string): Block[] {
  const links: { text: string; url: string }[] = [];
  for (const [i, e] of elements.entries()) {
    if (!isObject(e) || e.type !== 'button') continue;
    const url = urlOf(e.url);
    if (url === undefined) continue; // a button that calls back into a Slack app: nothing to open here
    const label = isObject(e.text) ? stringOf(e.text.text) : stringOf(e.text);
    const text = limited((label ?? '').trim() || url, maxLinkText, `${at}.elements[${i}].text`);
    links.push({ text, url });
  }
  const blocks: Block[] = [];
  for (let i = 0; i < links.length; i += linksPerBlock)
    blocks.push({ type: 'links', links: links.slice(i, i + linksPerBlock) });
  return blocks;
}

/**
 * A text object's text: `mrkdwn` translated (and noted if it notifies the channel), `plain_text`
 * as written; a bare string is read as `mrkdwn`. Empty or missing: undefined.
 */
function textOf(value: unknown, texts: SlackTexts, at: string): string | undefined {
  let text: string | undefined;
  if (typeof value === 'string') text = texts.mrkdwn(value);
  else if (isObject(value) && typeof value.text === 'string')
    text = value.type === 'plain_text' ? texts.plain(value.text) : texts.mrkdwn(value.text);
  if (text === undefined || text.trim() === '') return undefined;
  return limited(text, maxText, at);
}

/** The words of a block the hub does not keep: its text object, or rich_text's runs of text and links. */
function looseText(b: Raw, texts: SlackTexts): string | undefined {
  if (b.text !== undefined) {
    const t = isObject(b.text) ? b.text.text : b.text;
    if (typeof t === 'string' && t.trim() !== '') return texts.mrkdwn(t);
  }
  if (!Array.isArray(b.elements)) return undefined;
  const words = richText(b.elements, 0).trim();
  return words === '' ? undefined : texts.mrkdwn(words);
}

/** rich_text's nested elements as Slack markup (links as `<url|text>`, mentions as Slack writes them). */
function richText(elements: unknown[], depth: number): string {
  if (depth > 4) return '';
  let out = '';
  for (const e of elements) {
    if (!isObject(e)) continue;
    if (Array.isArray(e.elements)) {
      out += richText(e.elements, depth + 1);
      if (e.type === 'rich_text_section' || e.type === 'rich_text_preformatted' || e.type === 'rich_text_quote')
        out += '\n';
    } else if (e.type === 'text' && typeof e.text === 'string') out += e.text;
    else if (e.type === 'link' && typeof e.url === 'string')
      out += typeof e.text === 'string' ? `<${e.url}|${e.text}>` : `<${e.url}>`;
    else if (e.type === 'emoji' && typeof e.name === 'string') out += `:${e.name}:`;
    else if (e.type === 'broadcast' && typeof e.range === 'string') out += `<!${e.range}>`;
    else if (e.type === 'user' && typeof e.user_id === 'string') out += `<@${e.user_id}>`;
  }
  return out;
}

function limited(text: string, max: number, at: string): string {
  if (text.length > max) throw invalid(`${at} is ${text.length} characters; the limit is ${max}`);
  return text;
}

function urlOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > maxUrl) return undefined;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.href.length <= maxUrl ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(reason: string): HookRefusal {
  return new HookRefusal('bad_request', 'invalid_blocks', reason);
}
