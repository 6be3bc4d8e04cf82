import type { JSX } from 'preact';
import { closeReactionPicker, heldMessage, mayAddEmoji, toggleReaction } from '../actions/reactions.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { reactionPicker } from '../state/uiState.ts';

/** The reactions offered first, in this order. */
export const defaultReactions = ['👍', '❤️', '😂', '😮', '😢', '🙏', '✅', '👀'] as const;

/** The reaction picker, when open (first version: the default set). */
export function ReactionPicker(): JSX.Element | null {
  const open = reactionPicker.value;
  if (!open) return null;
  void client.messages.value;
  const message = heldMessage(open.conversationId, open.seq);
  if (!message) return null;
  return (
    <div class="reaction-picker" role="dialog" aria-label={t('reactions.picker')}>
      {defaultReactions.map((emoji) => (
        <button
          key={emoji}
          type="button"
          class="emoji-button"
          disabled={!mayAddEmoji(message, emoji)}
          onClick={() => {
            toggleReaction(open.conversationId, open.seq, emoji);
            closeReactionPicker();
          }}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}
