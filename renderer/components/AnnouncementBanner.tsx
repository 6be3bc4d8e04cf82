import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { fileWords } from '../../common/client/messageText.ts';
import type { Message } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { openConversation } from '../actions/conversations.ts';
import { confirmAnnouncement, learnAnnouncementSender } from '../actions/messaging.ts';
import { dayLabel, daysBetween, fullDateTime, timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { AttachmentCard } from '../messages/AttachmentCard.tsx';
import { MessageText } from '../messages/MessageText.tsx';
import { pendingAnnouncements } from '../state/announcements.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { conversationName } from '../state/selectors.ts';
import { confirmingAnnouncements } from '../state/uiState.ts';
import { previewText } from '../text/previewText.ts';
import { Icon } from '../ui/Icon.tsx';
import { Translated, UserText, personLabel } from '../ui/UserText.tsx';

/** Clicks on these inside the banner do their own thing rather than open the conversation. */
const interactive = 'a, button, input, textarea, select, [role="button"]';

/** How many of the waiting announcements the "N more" hint lists by their first line. */
const listedMore = 5;

/**
 * The oldest announcement the user still has to confirm, pinned above the messages of every
 * conversation (and on the empty screen) until they press "Got it" here or on another device:
 * an announcement is something everyone must read, whichever room they happen to be in. Its
 * text is linkified text, never HTML. A click on the banner opens the conversation it was posted in.
 */
export function AnnouncementBanner(): JSX.Element | null {
  const pending = pendingAnnouncements.value;
  const message = pending[0];
  if (!message) return null;
  return <Banner message={message} more={pending.slice(1)} />;
}

function Banner({ message, more }: { message: Message; more: Message[] }): JSX.Element {
  const users = client.users.value;
  const sender = users[message.senderId];
  const author = message.displayName ?? sender?.name ?? t('user.unknown', { id: message.senderId });
  const connected = client.connection.value === 'connected';
  const nameMissing = !sender && message.displayName === undefined;
  useEffect(() => {
    if (nameMissing && connected) learnAnnouncementSender(message.conversationId);
  }, [nameMissing, connected, message.conversationId]);
  const conversation = client.conversations.value[message.conversationId];
  const here = client.activeConversationId.value === message.conversationId;
  const busy = confirmingAnnouncements.value.has(message.seq);
  const lang = language.value;
  const today = daysBetween(message.ts, now.value) === 0;
  const when = today
    ? timeLabel(message.ts, lang)
    : `${dayLabel(message.ts, now.value, lang)}, ${timeLabel(message.ts, lang)}`;
  const open = () => {
    if (conversation && !here) openConversation(conversation.id);
  };
  const moreList = more
    .slice(0, listedMore)
    .map((m) => `• ${neutraliseBidi(previewText(m, fileWords[lang])).slice(0, 80)}`)
    .concat(more.length > listedMore ? ['…'] : [])
    .join('\n');

  return (
    <section
      class={conversation && !here ? 'announcement-banner opens' : 'announcement-banner'}
      aria-labelledby={`announcement-${message.seq}`}
      data-seq={message.seq}
      onClick={(e) => {
        // Selecting text to copy it is not a request to go anywhere.
        if ((e.target as Element).closest(interactive) || window.getSelection()?.isCollapsed === false) return;
        open();
      }}
    >
      <div class="banner-head">
        <Icon name="megaphone" size={18} />
        <h2 id={`announcement-${message.seq}`} class="banner-title">
          {t('message.announcement')}
        </h2>
        <span class="banner-author">
          <UserText text={author} title={personLabel({ name: author, login: sender?.login ?? '' })} />
          {sender?.isBot && <span class="tag tag-bot">{t('message.bot')}</span>}
        </span>
        <time class="banner-time" dateTime={new Date(message.ts).toISOString()} title={fullDateTime(message.ts, lang)}>
          {when}
        </time>
        {conversation && !here && (
          <button type="button" class="link-button banner-where" onClick={open}>
            <Translated k="announcement.in" params={{ name: conversationName(conversation, users) }} />
          </button>
        )}
        {more.length > 0 && (
          <span class="banner-more" title={moreList} data-more={more.length}>
            {t('announcement.more', { n: more.length })}
          </span>
        )}
      </div>
      <div class="banner-body">
        {message.text && <MessageText text={message.text} myLogin={client.me.value?.login} />}
        {message.attachments?.map((a, i) => (
          <AttachmentCard key={i} attachment={a} />
        ))}
      </div>
      <div class="banner-actions">
        <button
          type="button"
          class="button button-brand button-small"
          disabled={busy}
          aria-describedby={`announcement-${message.seq}`}
          onClick={() => void confirmAnnouncement(message.seq)}
        >
          <Icon name="check" size={16} />
          {t('message.confirm')}
        </button>
        <span class="hint">{t('announcement.hint')}</span>
      </div>
    </section>
  );
}
