import type { TextToken } from '../text/linkify.ts';

/**
 * Which dialect a message's text is read in: `markdown` for people (Telegram/Mattermost habits:
 * `**bold**`, `_italic_`, `~~strike~~`), `slack` for what incoming webhooks post (Slack's
 * `mrkdwn`: `*bold*`, `~strike~`, `<url|label>`; Mattermost's `**bold**` and `~~strike~~` too).
 */
export type Flavour = 'markdown' | 'slack';

/**
 * A link whose words were chosen by the sender (`[text](https://…)`, Slack's `<url|text>`):
 * `label` is shown, `href` opens. `misleading`: the words name another address or host (or the
 * host itself imitates one), so the real one is shown next to it.
 */
export interface LabelledLink {
  type: 'labelled';
  label: string;
  href: string;
  host: string;
  misleading: boolean;
}

/** A 1C link with the sender's words: `[Заказ 5](e1cib/data/…)`. */
export interface LabelledOneC {
  type: 'labelled-onec';
  label: string;
  link: string;
  href: string | null;
}

/** A piece of a line: text and auto-found links/mentions (see linkify), code, emphasis, labelled links. */
export type Inline =
  | TextToken
  | { type: 'code'; text: string }
  | { type: 'strong' | 'em' | 'strike'; children: Inline[] }
  | LabelledLink
  | LabelledOneC;

/** One item of a list: its number as typed (ordered lists) and its text. */
export interface ListItem {
  number: number | null;
  inline: Inline[];
}

/** A block of a message: a run of lines, a fenced code block, a quote or a list. */
export type Block =
  | { type: 'para'; inline: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'list'; ordered: boolean; items: ListItem[] };
