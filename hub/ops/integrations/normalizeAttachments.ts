import type { Attachment } from '../../../common/protocol/model.ts';
import { convertBlocks, linkBlocks } from './blockKit.ts';
import { HookRefusal } from './HookRefusal.ts';
import { SlackTexts } from './slackMarkup.ts';

const maxAttachments = 20;
const maxFields = 50;
const namedColors = new Set(['good', 'warning', 'danger']);

/**
 * Turns Slack-style attachments (as webhooks and the HTTP API receive them, in Slack's
 * snake_case or Beseda's camelCase) into Beseda's attachment cards: only known fields, only
 * text, Slack markup translated through `texts` (the summary `fallback` too, so a notification
 * never shows `<url|Open>`), links and pictures (`image_url`, `thumb_url`, kept as links) only to
 * http(s) addresses, colours only as a name or `#hex`, an attachment's Block Kit `blocks` as
 * {@link convertBlocks} keeps them and its url buttons (`actions`) as a links block. Empty cards
 * are dropped. `bad_request` when it is not a list
 * of objects.
 */
export function normalizeAttachments(input: unknown, texts = new SlackTexts()): Attachment[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw refusal('"attachments" must be a list');
  if (input.length > maxAttachments)
    throw new HookRefusal(
      'bad_request',
      'too_many_attachments',
      `${input.length} attachments; at most ${maxAttachments} per message`,
    );
  const cards: Attachment[] = [];
  for (const [i, raw] of input.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw refusal(`attachments[${i}] must be an object`);
    const card = toCard(raw as Record<string, unknown>, texts, i);
    if (Object.keys(card).some((k) => k !== 'color')) cards.push(card);
  }
  return cards;
}

function toCard(a: Record<string, unknown>, texts: SlackTexts, i: number): Attachment {
  const markup = (value: unknown) => {
    const t = text(value);
    return t === undefined ? undefined : texts.mrkdwn(t);
  };
  const card: Attachment = {};
  const set = (key: keyof Omit<Attachment, 'fields' | 'blocks'>, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') card[key] = value;
  };
  const fallback = text(a.fallback);
  set('fallback', fallback === undefined ? undefined : texts.summary(fallback));
  set('color', color(a.color));
  set('pretext', markup(a.pretext));
  set('authorName', text(a.author_name ?? a.authorName));
  set('authorLink', link(a.author_link ?? a.authorLink));
  set('title', texts.summary(text(a.title) ?? ''));
  set('titleLink', link(a.title_link ?? a.titleLink));
  set('text', markup(a.text));
  set('footer', texts.summary(text(a.footer) ?? ''));
  set('imageUrl', link(a.image_url ?? a.imageUrl));
  set('thumbUrl', link(a.thumb_url ?? a.thumbUrl));
  const fields = a.fields;
  if (fields !== undefined && fields !== null) {
    if (!Array.isArray(fields)) throw refusal(`attachments[${i}].fields must be a list`);
    if (fields.length > maxFields) throw refusal(`attachments[${i}] has ${fields.length} fields; at most ${maxFields}`);
    const out = fields
      .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
      .map((f) => ({
        title: texts.summary(text(f.title) ?? ''),
        value: markup(f.value) ?? '',
        short: f.short === true,
      }))
      .filter((f) => f.title !== '' || f.value !== '');
    if (out.length > 0) card.fields = out;
  }
  if (a.blocks !== undefined && a.blocks !== null) {
    const blocks = convertBlocks(a.blocks, texts, `attachments[${i}].blocks`);
    if (blocks.length > 0) card.blocks = blocks;
  }
  // Legacy message buttons (`actions`): the ones that open an address become links in the card.
  if (Array.isArray(a.actions)) {
    const links = linkBlocks(a.actions, `attachments[${i}].actions`);
    if (links.length > 0) card.blocks = [...(card.blocks ?? []), ...links];
  }
  return card;
}

/** A string, or a number or boolean as text; anything else is ignored. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function color(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const c = value.trim().toLowerCase();
  if (namedColors.has(c)) return c;
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/.exec(c);
  return hex ? `#${hex[1]}` : undefined;
}

function link(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function refusal(reason: string): HookRefusal {
  return new HookRefusal('bad_request', 'invalid_attachments', reason);
}
