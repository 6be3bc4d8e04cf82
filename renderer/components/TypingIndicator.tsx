import type { JSX } from 'preact';
import { t } from '../i18n/t.ts';
import { typingTemplate } from '../messages/systemText.ts';
import { client } from '../state/clientState.ts';
import { Translated } from '../ui/UserText.tsx';

/** "Иван печатает…" under the messages; keeps its height so the list does not jump. */
export function TypingIndicator({ conversationId }: { conversationId: number }): JSX.Element {
  const me = client.me.value;
  const users = client.users.value;
  const ids = (client.typing.value[conversationId] ?? []).filter((id) => id !== me?.id);
  const template = typingTemplate(
    // Someone not known yet (never wrote here) is typed as "Кто-то" rather than as a number.
    ids.map((id) => users[id]?.name ?? t('typing.someone')),
  );
  return (
    <div class="typing" aria-live="polite">
      {template && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          <Translated k={template.key} params={template.params} />
        </>
      )}
    </div>
  );
}
