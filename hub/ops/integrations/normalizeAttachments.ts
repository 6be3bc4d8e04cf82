import type { Attachment } from '../../../common/protocol/model.ts';
import { HubError } from '../HubError.ts';
import { translateSlackMarkup } from './slackMarkup.ts';

const maxAttachments = 20;
const maxFields = 50;
const namedColors = new Set(['good', 'warning', 'danger']);

/**
 * Turns Slack-style attachments (as webhooks and the HTTP API receive them, in Slack's
 * snake_case or Beseda's camelCase) into Beseda's attachment cards: only known fields, only
 * text, Slack markup translated, links only to http(s) addresses, colours only as a name or
 * `#hex`. Empty cards are dropped. `bad_request` when it is not a list of objects.
 */
export function normalizeAttachments(input: unknown): Attachment[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw new HubError('bad_request', '"attachments" must be a list');
  if (input.length > maxAttachments)
    throw new HubError('bad_request', `at most ${maxAttachments} attachments per message`);
  const cards: Attachment[] = [];
  for (const [i, raw] of input.entries()) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new HubError('bad_request', `attachments[${i}] must be an object`);
    const a = raw as Record<string, unknown>;
    const card: Attachment = {};
    const set = (key: keyof Omit<Attachment, 'fields'>, value: string | undefined) => {
      if (value !== undefined && value.trim() !== '') card[key] = value;
    };
    set('fallback', text(a.fallback));
    set('color', color(a.color));
    set('pretext', markup(a.pretext));
    set('authorName', text(a.author_name ?? a.authorName));
    set('title', markup(a.title));
    set('titleLink', link(a.title_link ?? a.titleLink));
    set('text', markup(a.text));
    set('footer', markup(a.footer));
    const fields = a.fields;
    if (fields !== undefined && fields !== null) {
      if (!Array.isArray(fields)) throw new HubError('bad_request', `attachments[${i}].fields must be a list`);
      if (fields.length > maxFields) throw new HubError('bad_request', `at most ${maxFields} fields per attachment`);
      const out = fields
        .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
        .map((f) => ({ title: markup(f.title) ?? '', value: markup(f.value) ?? '', short: f.short === true }))
        .filter((f) => f.title !== '' || f.value !== '');
      if (out.length > 0) card.fields = out;
    }
    if (Object.keys(card).some((k) => k !== 'color')) cards.push(card);
  }
  return cards;
}

/** A string, or a number or boolean as text; anything else is ignored. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function markup(value: unknown): string | undefined {
  const t = text(value);
  return t === undefined ? undefined : translateSlackMarkup(t);
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
