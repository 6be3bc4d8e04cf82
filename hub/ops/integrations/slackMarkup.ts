/** The Slack words that notify a whole channel; Beseda's word for it is `@all`. */
const channelWords = new Set(['channel', 'here', 'all', 'everyone']);
/** `<!here>`, `<!channel|channel>`, `<!everyone>`…: a Slack mention of the whole channel. */
const channelMention = /<!(channel|here|all|everyone)(\|[^<>\n]*)?>/i;

/**
 * Translates Slack's message markup into Beseda's plain text, as Mattermost does for incoming
 * webhooks: `<url|text>` becomes `[text](url)` and `<url>` the address alone (clients turn
 * addresses into links themselves); `<!channel>`, `<!here>`, `<!all>`, `<!everyone>` (with or
 * without a `|label`, as Grafana writes `<!here|here>`) become `@all`; `<@login>` and `<#room>`
 * lose their brackets; the `&amp;` `&lt;` `&gt;` escapes are undone. Spaces around the `|` are
 * dropped (Sentry writes `<url | rule>`). Anything else in angle brackets is left as it is. The
 * result is text: nothing here is ever HTML. Formatting (`*bold*`, `_italic_`) stays: clients read
 * hook messages as Slack `mrkdwn`.
 */
export function translateSlackMarkup(text: string): string {
  const translated = text.replace(/<([^<>\n]{1,2000})>/g, (whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = (bar < 0 ? inner : inner.slice(0, bar)).trim();
    const label = bar < 0 ? '' : inner.slice(bar + 1).trim();
    if (target.startsWith('!')) {
      const word = target.slice(1).split('^')[0]!.toLowerCase();
      if (channelWords.has(word)) return '@all';
      // <!date^…|fallback>, <!subteam^…|@team>: the readable part.
      return label || whole;
    }
    if (target.startsWith('@')) return `@${label.replace(/^@/, '') || target.slice(1)}`;
    if (target.startsWith('#')) return `#${label.replace(/^#/, '') || target.slice(1)}`;
    if (/^(https?:\/\/|mailto:)/i.test(target)) {
      const address = target.replace(/^mailto:/i, '');
      if (!label || label === target || label === address) return /^mailto:/i.test(target) ? address : target;
      return namedLink(label, target);
    }
    return whole;
  });
  return translated.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * `<url|label>` as Markdown's `[label](url)`, as Mattermost translates it, so clients show the
 * sender's words as the link (and previews and notifications the words alone). The address's
 * spaces, brackets and parentheses are percent-encoded so the link stays one piece; a label the
 * clients could not read as one (brackets, a line break, over 500 characters) or an address over
 * 2000 falls back to `label (url)`.
 */
function namedLink(label: string, target: string): string {
  const url = target.replace(/[\s()[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  if (/[[\]\n]/.test(label) || label.length > 500 || url.length > 2000) return `${label} (${target})`;
  return `[${label}](${url})`;
}

/** Whether a Slack text mentions the whole channel (`<!here>`, `<!channel|channel>`…). */
export function mentionsChannel(text: string): boolean {
  return channelMention.test(text);
}

/**
 * The texts of one webhook payload or bot message, translated the same way wherever they sit
 * (text, attachments, blocks), noting whether any shown text mentions the whole channel: such a
 * mention notifies as `@all` whether it is in the text or, as Grafana puts `<!here|here>`, in an
 * attachment's pretext. Summaries (`fallback`) are translated without counting: nobody sees them
 * next to the card.
 */
export class SlackTexts {
  /** Whether a shown `mrkdwn` text mentioned the whole channel. */
  saysAll = false;

  /** A `mrkdwn` text (Slack's default for message text and attachments), translated. */
  mrkdwn(text: string): string {
    if (mentionsChannel(text)) this.saysAll = true;
    return translateSlackMarkup(text);
  }

  /** A summary shown where cards cannot be (notifications): translated, never notifying. */
  summary(text: string): string {
    return translateSlackMarkup(text);
  }

  /** A `plain_text` object's text: Slack shows it as written and parses no mentions in it. */
  plain(text: string): string {
    return text;
  }
}
