import { ErrorCode } from '../../common/protocol/errors.ts';
import { HookRefusal } from '../ops/integrations/HookRefusal.ts';
import type { HubError } from '../ops/HubError.ts';

/**
 * The word Slack answers an incoming webhook with, for each error code the hub may refuse a hook
 * post with (https://api.slack.com/messaging/webhooks#handling_errors); a {@link HookRefusal}
 * names its own (`no_text`, `no_service`, `invalid_blocks`…).
 */
const slackWords: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BadRequest]: 'invalid_payload',
  [ErrorCode.TooLong]: 'msg_too_long',
  [ErrorCode.NotFound]: 'channel_not_found',
  [ErrorCode.Forbidden]: 'action_prohibited',
  [ErrorCode.RateLimited]: 'rate_limited',
  [ErrorCode.FileTooLarge]: 'file_too_large',
  [ErrorCode.QuotaExceeded]: 'quota_exceeded',
  [ErrorCode.StorageFull]: 'storage_full',
  [ErrorCode.Unavailable]: 'service_unavailable',
  [ErrorCode.Internal]: 'internal_error',
};

/**
 * Words Slack's clients match exactly and turn into their own sentence (Grafana's
 * receivers/slack/slack.go: "cannot send an incoming webhook without a message"…): answered alone,
 * as Slack does; any other word is followed by the hub's reason, which the client logs whole.
 */
const wordsClientsKnow = new Set([
  'no_text',
  'no_service',
  'channel_not_found',
  'channel_is_archived',
  'user_not_found',
  'posting_to_general_channel_denied',
]);

/** Whether a request is a webhook post, answered in Slack's plain text rather than the API's JSON. */
export function isHookPath(url: string | undefined): boolean {
  return (url ?? '').startsWith('/hooks/');
}

/**
 * A webhook's error body as Slack writes it: the error word, which Grafana, Alertmanager and
 * GitLab match or log — alone when clients know it ({@link wordsClientsKnow}), else followed by
 * the hub's reason on a second line for the person reading the sender's log (the hub logs the
 * reason either way). Plain text, never JSON: Grafana reads a non-JSON answer as a webhook's.
 */
export function hookErrorText(err: HubError): string {
  const word = err instanceof HookRefusal ? err.slackError : (slackWords[err.code] ?? err.code);
  const reason = err.message.replace(/[\r\n]+/g, ' ').trim();
  return wordsClientsKnow.has(word) || reason === '' || reason === word ? word : `${word}\n${reason}`;
}
