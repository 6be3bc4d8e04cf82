import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { ActionIcon } from '../components/ActionIcons.tsx';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { Translated, UserText } from '../ui/UserText.tsx';

/**
 * «Переслано от <name>» above a forwarded message's text, the original's time as its hint. The
 * name is the original's display name (a bot's) or its author's current name, as isolated text.
 */
export function ForwardedFrom({ message }: { message: MessageView }): JSX.Element | null {
  const from = message.forwarded;
  if (!from || message.deleted) return null;
  const users = client.users.value;
  const name = from.displayName ?? users[from.senderId]?.name ?? t('user.unknown', { id: from.senderId });
  const when = t('forward.fromTitle', { date: fullDateTime(from.ts, language.value) });
  return (
    <div class="forwarded-from" title={when} data-forwarded="">
      <ActionIcon name="forward" size={14} />
      <span>
        <Translated k="forward.from" params={{ name: <UserText class="forwarded-name" text={name} /> }} />
      </span>
    </div>
  );
}
