import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { ActionIcon } from '../components/ActionIcons.tsx';
import { fullDateTime } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';

/** A small pin next to a pinned message's time; its hint says who pinned it and when. */
export function PinMark({ message }: { message: MessageView }): JSX.Element | null {
  const pinned = message.pinned;
  if (!pinned || message.deleted) return null;
  const users = client.users.value;
  const name = neutraliseBidi(users[pinned.by]?.name ?? t('user.unknown', { id: pinned.by }));
  const hint = t('pins.markBy', { name, date: fullDateTime(pinned.at, language.value) });
  return (
    <span class="msg-pin-mark" role="img" aria-label={hint} title={hint} data-pinned="">
      <ActionIcon name="pin" size={13} />
    </span>
  );
}
