import type { JSX } from 'preact';
import { language } from '../i18n/language.ts';
import { nameOf } from '../messages/MessageRow.tsx';
import { typingText } from '../messages/systemText.ts';
import { client } from '../state/clientState.ts';

/** "Иван печатает…" under the messages; keeps its height so the list does not jump. */
export function TypingIndicator({ conversationId }: { conversationId: number }): JSX.Element {
  const me = client.me.value;
  const users = client.users.value;
  const ids = (client.typing.value[conversationId] ?? []).filter((id) => id !== me?.id);
  const text = typingText(
    ids.map((id) => nameOf(users, id)),
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
