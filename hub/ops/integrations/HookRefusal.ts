import type { ErrorCode } from '../../../common/protocol/errors.ts';
import { HubError } from '../HubError.ts';

/**
 * A refusal that also names the word Slack answers an incoming webhook with in the same case
 * (`no_text`, `invalid_blocks`, `no_service`, `channel_not_found`…): the /hooks route writes that
 * word as the plain-text body, so Grafana, Alertmanager and GitLab log what they know. Elsewhere
 * (the bot API) it is an ordinary HubError.
 */
export class HookRefusal extends HubError {
  constructor(
    code: ErrorCode,
    readonly slackError: string,
    message: string,
  ) {
    super(code, message);
  }
}
