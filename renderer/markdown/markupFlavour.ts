import type { Flavour } from './MarkdownNode.ts';

/**
 * The dialect a message's text is read in. Incoming webhooks speak Slack's `mrkdwn` (`*bold*`,
 * `~strike~`) or Mattermost's Markdown; the hub posts them as the hook's own bot account, whose
 * login is `hook-N` (docs/protocol.md), with client ids starting `hook-`. Everything else —
 * people, and bots using the send API — is read as Markdown. Either way only formatting differs:
 * both dialects are the same safe subset.
 */
export function markupFlavour(
  message: { clientId: string },
  sender: { isBot: boolean; login: string } | undefined,
): Flavour {
  if (!sender?.isBot) return 'markdown';
  return sender.login.startsWith('hook-') || message.clientId.startsWith('hook-') ? 'slack' : 'markdown';
}
