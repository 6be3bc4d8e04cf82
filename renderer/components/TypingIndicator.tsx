import type { JSX } from 'preact';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { typingText } from '../messages/systemText.ts';
import { client } from '../state/clientState.ts';

/** "Иван печатает…" under the messages; keeps its height so the list does not jump. */
export function TypingIndicator({ conversationId }: { conversationId: number }): JSX.Element {
  const me = client.me.value;
  const users = client.users.value;
  const ids = (client.typing.value[conversationId] ?? []).filter((id) => id !== me?.id);
  const text = typingText(
    // Someone not known yet (never wrote here) is typed as "Кто-то" rather than as a number.
    ids.map((id) => users[id]?.name ?? t('typing.someone')),
    language.value,
  );
  return (
    <div class="typing" aria-live="polite">
      {text && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
