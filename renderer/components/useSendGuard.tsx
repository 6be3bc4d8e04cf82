import type { Signal } from '@preact/signals';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Conversation, User } from '../../common/protocol/model.ts';
import { notify } from '../actions/notify.ts';
import { invite } from '../actions/rooms.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { mayInvite, mentionedOutsiders, usersByLogin } from '../text/mentions.ts';
import { formatCount, oversize } from './ComposerByteCounter.tsx';
import { MentionInvitePrompt } from './MentionInvitePrompt.tsx';

/** What the composer checks before it sends: see {@link useSendGuard}. */
export interface SendGuard {
  /** Runs `go` (the send or the save) unless the text is over the limit or mentions outsiders: then it says so first. */
  guard(go: () => void): void;
  /** The invite question, while it is asked. */
  prompt: JSX.Element | null;
}

/**
 * The checks of a message before it leaves the composer. Over the hub's `maxTextBytes` it is not
 * sent: a notice states its size and the limit (the text stays, to be shortened or split). When it
 * mentions people who are not in the conversation, the user is asked first (invite them, send
 * anyway, or go back to the text).
 */
export function useSendGuard(
  conversation: Conversation,
  wire: Signal<string>,
  isMember: (userId: number) => boolean,
): SendGuard {
  const [asked, setAsked] = useState<{ people: User[]; go: () => void } | null>(null);
  const me = client.me.value;
  const canInvite = mayInvite(me, conversation);

  const guard = (go: () => void) => {
    const big = oversize(wire.value);
    if (big) {
      notify(t('mentions.tooLong', { n: formatCount(big.n), max: formatCount(big.max) }), 'error');
      return;
    }
    const people = mentionedOutsiders(wire.value, usersByLogin(client.users.value), isMember, me?.id ?? null);
    if (people.length > 0 && conversation.kind !== 'general') setAsked({ people, go });
    else go();
  };

  const prompt = asked && (
    <MentionInvitePrompt
      people={asked.people}
      canInvite={canInvite}
      onCancel={() => setAsked(null)}
      onSend={() => {
        setAsked(null);
        asked.go();
      }}
      onInvite={async () => {
        setAsked(null);
        // The invitation first: the message then mentions members, who are notified and see it.
        if (
          await invite(
            conversation.id,
            asked.people.map((u) => u.id),
          )
        )
          asked.go();
      }}
    />
  );
  return { guard, prompt };
}
