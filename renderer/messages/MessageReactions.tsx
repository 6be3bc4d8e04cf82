import type { JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import { mayAddEmoji, mayReact, openReactionPicker, reactionsFull, toggleReaction } from '../actions/reactions.ts';
import { ActionIcon } from '../components/ActionIcons.tsx';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { reactorNames } from './reactorNames.ts';

/**
 * The reactions under a message: one chip per emoji with its count (the user's own pressed),
 * its hint and accessible name saying who put it there; a click puts the user's own on or takes
 * it back. A «+» chip opens the picker. Nothing when the message has no reactions (the message
 * menu's «Реакция» adds the first). While a reaction is on its way the chips are dimmed.
 */
export function MessageReactions({ message }: { message: MessageView }): JSX.Element | null {
  const reactions = message.reactions ?? [];
  if (reactions.length === 0 || !mayReact(message)) return null;
  const me = client.me.value;
  const users = client.users.value;
  const lang = language.value;
  // Read so the chips re-check the limit when hello brings it.
  void client.limits.value;
  const pending = message.pendingChange === 'react';
  const full = reactionsFull(message);
  return (
    <div
      class={pending ? 'reactions pending' : 'reactions'}
      role="group"
      aria-label={t('reactions.group')}
      aria-busy={pending || undefined}
      title={pending ? t('reactions.pending') : undefined}
      data-reactions=""
    >
      {reactions.map((r) => {
        const mine = me !== null && r.userIds.includes(me.id);
        const names = reactorNames(r.userIds, users, me?.id, lang);
        return (
          <button
            key={r.emoji}
            type="button"
            class={mine ? 'reaction-chip mine' : 'reaction-chip'}
            aria-pressed={mine}
            aria-label={t('reactions.chip', { emoji: r.emoji, n: r.userIds.length, names })}
            title={reactorNames(r.userIds, users, me?.id, lang, 12)}
            disabled={!mine && !mayAddEmoji(message, r.emoji)}
            data-emoji={r.emoji}
            onClick={() => toggleReaction(message.conversationId, message.seq, r.emoji)}
          >
            <span class="reaction-emoji" aria-hidden="true">
              {r.emoji}
            </span>
            <span class="reaction-count" aria-hidden="true">
              {r.userIds.length}
            </span>
          </button>
        );
      })}
      <button
        type="button"
        class="reaction-chip reaction-add"
        aria-label={t('reactions.add')}
        title={full ? t('reactions.limit', { n: reactions.length }) : t('reactions.add')}
        aria-haspopup="dialog"
        onClick={(e) => openReactionPicker(message.conversationId, message.seq, e.currentTarget)}
      >
        <ActionIcon name="smilePlus" size={16} />
      </button>
    </div>
  );
}
