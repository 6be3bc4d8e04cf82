/** The Slack words that notify a whole channel; Beseda's word for it is `@all`. */
const channelWords = new Set(['channel', 'here', 'all', 'everyone']);

/**
 * Translates Slack's message markup into Beseda's plain text, as Mattermost does for incoming
 * webhooks: `<url|text>` becomes `text (url)` and `<url>` the address alone (clients turn
 * addresses into links themselves); `<!channel>`, `<!here>`, `<!all>` become `@all`; `<@login>`
 * and `<#room>` lose their brackets; the `&amp;` `&lt;` `&gt;` escapes are undone. Anything else in
 * angle brackets is left as it is. The result is text: nothing here is ever HTML.
 */
export function translateSlackMarkup(text: string): string {
  const translated = text.replace(/<([^<>\n]{1,2000})>/g, (whole, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar < 0 ? inner : inner.slice(0, bar);
    const label = bar < 0 ? '' : inner.slice(bar + 1);
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
      return `${label} (${target})`;
    }
    return whole;
  });
  return translated.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
