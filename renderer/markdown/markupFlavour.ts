import type { Flavour } from './MarkdownNode.ts';

interface Sender {
  isBot: boolean;
  login: string;
}

/**
 * The dialect a message's text (and its cards' texts) is read in. Incoming webhooks speak Slack's
 * `mrkdwn` (`*bold*`, `~strike~`) or Mattermost's Markdown (`**bold**`, `~~strike~~`; the `slack`
 * flavour reads both); the hub posts them as the hook's own bot account, whose login is `hook-N`
 * (docs/protocol.md), with client ids starting `hook-`. A forward keeps the dialect of what it
 * copies: `original` is the forwarded message's author (the forward's own client id is the
 * forwarder's). Everything else — people, and bots using the send API — is read as Markdown.
 * Either way only formatting differs: both dialects are the same safe subset.
 */
export function markupFlavour(
  message: { clientId: string; forwarded?: { senderId: number } | undefined },
  sender: Sender | undefined,
  original?: Sender | undefined,
): Flavour {
  if (message.forwarded) return original?.isBot && original.login.startsWith('hook-') ? 'slack' : 'markdown';
  if (!sender?.isBot) return 'markdown';
  return sender.login.startsWith('hook-') || message.clientId.startsWith('hook-') ? 'slack' : 'markdown';
}
