import type { JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { fileWords } from '../../common/client/messageText.ts';
import type { Conversation, Message } from '../../common/protocol/model.ts';
import { jumpToMessage } from '../actions/messageLinks.ts';
import { mayPin, togglePin } from '../actions/pins.ts';
import { dayLabel, fullDateTime, timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { previewText } from '../text/previewText.ts';
import { Icon } from '../ui/Icon.tsx';
import { UserText } from '../ui/UserText.tsx';

/** A pinned message's first line as plain text (its files or card when it has no text). */
function firstLine(message: Message, lang: 'ru' | 'en'): string {
  const line = message.text.split('\n').find((l) => l.trim()) ?? '';
  return previewText({ ...message, text: line }, fileWords[lang]);
}

function PinItem({ message, onJump }: { message: Message; onJump: () => void }): JSX.Element {
  const users = client.users.value;
  const lang = language.value;
  const author = message.displayName ?? users[message.senderId]?.name ?? t('user.unknown', { id: message.senderId });
  const when = `${dayLabel(message.ts, now.value, lang)}, ${timeLabel(message.ts, lang)}`;
  return (
    <li class="pin-item" data-pin-seq={message.seq}>
      <button type="button" class="pin-jump" title={t('pins.jump')} onClick={onJump}>
        <span class="pin-head">
          <UserText class="pin-author" text={author} />
          <time class="pin-date" dateTime={new Date(message.ts).toISOString()} title={fullDateTime(message.ts, lang)}>
            {when}
          </time>
        </span>
        <UserText class="pin-text" text={firstLine(message, lang)} />
      </button>
      {mayPin(message) && (
        <button
          type="button"
          class="icon-button"
          aria-label={`${t('pins.unpin')}: ${firstLine(message, lang).slice(0, 60)}`}
          title={t('pins.unpin')}
          onClick={() => togglePin(message)}
        >
          <Icon name="close" size={16} />
        </button>
      )}
    </li>
  );
}

/**
 * The pinned messages of a conversation, newest pin first, under the header's pin button: author,
 * first line as plain text and date; a click shows the message in the conversation, the × unpins
 * it for those the pin rule allows. Esc or a click elsewhere closes it.
 */
export function PinnedPanel({
  conversation,
  onClose,
}: {
  conversation: Conversation;
  onClose: (returnFocus: boolean) => void;
}): JSX.Element {
  const ref = useRef<HTMLElement>(null);
  const pins = client.pins.value[conversation.id];
  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>('.pin-jump')?.focus();
    const onOutside = (e: MouseEvent) => {
      const anchor = ref.current?.parentElement;
      if (e.target instanceof Node && anchor && !anchor.contains(e.target)) onClose(false);
    };
    document.addEventListener('mousedown', onOutside, true);
    return () => document.removeEventListener('mousedown', onOutside, true);
  }, []);
  return (
    <section
      ref={ref}
      id="pins-panel"
      class="pins-panel"
      aria-labelledby="pins-title"
      data-pins-panel=""
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onClose(true);
        }
      }}
    >
      <header class="panel-header">
        <h2 id="pins-title">
          {t('pins.title')} {pins && pins.length > 0 && <span class="count">{pins.length}</span>}
        </h2>
        <button
          type="button"
          class="icon-button"
          aria-label={t('app.close')}
          title={t('app.close')}
          onClick={() => onClose(true)}
        >
          <Icon name="close" />
        </button>
      </header>
      {!pins ? (
        <p class="pins-empty" aria-busy="true">
          {t('pins.loading')}
        </p>
      ) : pins.length === 0 ? (
        <p class="pins-empty">{t('pins.empty')}</p>
      ) : (
        <ul class="pins-list">
          {pins.map((message) => (
            <PinItem
              key={message.seq}
              message={message}
              onJump={() => {
                onClose(false);
                // Shown, scrolled to and highlighted like a reply's original (a notice when it is gone).
                void jumpToMessage(message.conversationId, message.seq);
              }}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
