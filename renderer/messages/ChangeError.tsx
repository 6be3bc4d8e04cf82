import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { dismissChangeError } from '../actions/editing.ts';
import { t } from '../i18n/t.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { Icon } from '../ui/Icon.tsx';

const knownReasons = new Set([
  'edit_expired',
  'forbidden',
  'not_found',
  'not_member',
  'too_long',
  'too_many_reactions',
  'rate_limited',
  'bad_request',
]);

/** Why the hub refused a change, in the UI language when the code is known (else the hub's words). */
function reason(error: NonNullable<MessageView['changeError']>): string {
  return knownReasons.has(error.code)
    ? t(`msgActions.reason.${error.code}` as MessageKey)
    : neutraliseBidi(error.message);
}

/**
 * The hub refused the user's last change to this message (the message shows the hub's state
 * again): a small alert under it saying what failed and why, with a button to dismiss it.
 */
export function ChangeError({ message }: { message: MessageView }): JSX.Element | null {
  const error = message.changeError;
  if (!error) return null;
  return (
    <div class="msg-change-error" role="alert">
      <Icon name="alert" size={15} />
      <span>
        {t(`msgActions.failed.${error.kind}` as MessageKey)}: {reason(error)}
      </span>
      <button type="button" class="link-button" onClick={() => dismissChangeError(message)}>
        {t('msgActions.dismiss')}
      </button>
    </div>
  );
}
