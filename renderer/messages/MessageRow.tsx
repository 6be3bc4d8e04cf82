import { Component } from 'preact';
import type { ComponentChildren, JSX } from 'preact';
import type { MessageView } from '../../common/client/ClientState.ts';
import type { User } from '../../common/protocol/model.ts';
import { neutraliseBidi } from '../../common/text/neutraliseBidi.ts';
import { confirmAnnouncement, discardMessage, retryMessage } from '../actions/messaging.ts';
import { dayLabel, fullDateTime, timeLabel } from '../format/dates.ts';
import { language } from '../i18n/language.ts';
import { t } from '../i18n/t.ts';
import { markupFlavour } from '../markdown/markupFlavour.ts';
import type { Flavour } from '../markdown/MarkdownNode.ts';
import type { MessageKey } from '../i18n/translate.ts';
import { client } from '../state/clientState.ts';
import { now } from '../state/clock.ts';
import { isPendingAnnouncement } from '../state/announcements.ts';
import { confirmingAnnouncements, highlightedMessage } from '../state/uiState.ts';
import { Avatar } from '../ui/Avatar.tsx';
import { Icon } from '../ui/Icon.tsx';
import { NameList, Translated, UserText, personLabel } from '../ui/UserText.tsx';
import { AttachmentCard } from './AttachmentCard.tsx';
import { BlockCard } from './BlockCard.tsx';
import { ChangeError } from './ChangeError.tsx';
import { ForwardedFrom } from './ForwardedFrom.tsx';
import { MessageActionsBar } from './MessageActionsBar.tsx';
import { MessageFiles, hasFiles } from './MessageFiles.tsx';
import { MessageReactions } from './MessageReactions.tsx';
import { MessageText } from './MessageText.tsx';
import { MoreButton } from './MoreButton.tsx';
import { PinMark } from './PinMark.tsx';
import { putBack } from './putBack.ts';
import { formatCount } from '../components/ComposerByteCounter.tsx';
import { ProfileButton } from '../components/ProfileButton.tsx';
import { ReceiptMark } from './ReceiptMark.tsx';
import { ReplyQuote } from './ReplyQuote.tsx';
import type { Row } from './buildRows.ts';
import { rowProps } from './rovingFocus.ts';
import { systemTemplate } from './systemText.ts';

/** A row of the message list, plus the list's own first row (history loading or its start). */
export type ListRow = Row | { kind: 'top'; key: 'top'; state: 'loading' | 'more' | 'start' | 'empty' };

/** The name of a user for display, with a placeholder while the user is not known yet. */
export function nameOf(users: Record<number, User>, id: number): string {
  return users[id]?.name ?? t('user.unknown', { id });
}

function Time({ ts }: { ts: number }): JSX.Element {
  const lang = language.value;
  return (
    <time class="msg-time" dateTime={new Date(ts).toISOString()} title={fullDateTime(ts, lang)}>
      {timeLabel(ts, lang)}
    </time>
  );
}

function Status({ message }: { message: MessageView }): JSX.Element | null {
  if (message.status === 'pending' || message.pendingChange) {
    const label = message.status === 'pending' ? t('message.pending') : t('msgActions.changePending');
    return (
      <span class="msg-status pending" role="img" aria-label={label} title={label}>
        <Icon name="clock" size={14} />
      </span>
    );
  }
  return null;
}

/** «изменено» after the time of an edited message; its hint is when (full date). */
function Edited({ message }: { message: MessageView }): JSX.Element | null {
  if (!message.editedAt || message.deleted) return null;
  return (
    <span class="msg-edited" title={t('msgActions.editedAt', { date: fullDateTime(message.editedAt, language.value) })}>
      {t('message.edited')}
    </span>
  );
}

/** The time, the edited mark, the pin and the pending clock of a message. */
function Meta({ message, standalone }: { message: MessageView; standalone?: boolean }): JSX.Element {
  return (
    <span class={standalone ? 'msg-meta standalone' : 'msg-meta'}>
      <PinMark message={message} />
      <Time ts={message.ts} />
      <Edited message={message} />
      <Status message={message} />
      <ReceiptMark message={message} />
    </span>
  );
}

/** Whether the message is the one highlighted after a jump to it. */
function isHighlighted(message: MessageView): boolean {
  const h = highlightedMessage.value;
  return h !== null && h.conversationId === message.conversationId && h.seq === message.seq;
}

/** The placeholder a deleted message leaves: «Сообщение удалено», in muted italics, with its time. */
function DeletedBubble({ message }: { message: MessageView }): JSX.Element {
  return (
    <div class="bubble deleted">
      <span class="msg-deleted">{t('msgActions.deleted')}</span>
      <Meta message={message} />
    </div>
  );
}

const knownFailures = new Set([
  'too_long',
  'forbidden',
  'not_found',
  'storage_full',
  'rate_limited',
  'bad_request',
  'file_too_large',
  'quota_exceeded',
]);

/** Why a message was refused, in the UI language when the code is known (else the hub's words). */
function failureReason(error: { code: string; message: string }): string {
  // Too long: the limit is stated, so the user knows how much to cut.
  const max = client.limits.value?.maxTextBytes;
  if (error.code === 'too_long' && max) return t('mentions.failedTooLong', { max: formatCount(max) });
  return knownFailures.has(error.code) ? t(`message.error.${error.code}` as MessageKey) : neutraliseBidi(error.message);
}

/**
 * The hover hint of an author's name and avatar: the name with the login, which tells namesakes
 * apart (and names the account behind an integration's display name).
 */
function authorTitle(name: string, sender: User | undefined): string {
  return personLabel({ name, login: sender?.login ?? '' });
}

function Failure({ message }: { message: MessageView }): JSX.Element {
  return (
    <div class="msg-failed" role="alert">
      <Icon name="alert" size={16} />
      <span>
        {t('message.failed')}
        {message.error ? `: ${failureReason(message.error)}` : ''}
      </span>
      <button type="button" class="link-button" onClick={() => retryMessage(message.clientId)}>
        {t('message.retry')}
      </button>
      {message.text && !hasFiles(message) && (
        <button type="button" class="link-button" title={t('mentions.putBackHint')} onClick={() => putBack(message)}>
          {t('mentions.putBack')}
        </button>
      )}
      <button type="button" class="link-button danger" onClick={() => discardMessage(message.clientId)}>
        {t('message.discard')}
      </button>
    </div>
  );
}

function SystemLine({ message, rowKey }: { message: MessageView; rowKey: string }): JSX.Element {
  const users = client.users.value;
  // Names and room names inside the sentence are isolated elements, not letters mixed into it;
  // each name's hint has the login ("пригласил: Иван Иванов и Иван Иванов" is two people).
  const person = (id: number) => ({ name: nameOf(users, id), title: authorTitle(nameOf(users, id), users[id]) });
  const event = message.system;
  const s = event ? systemTemplate(event, (id) => nameOf(users, id)) : null;
  return (
    <div class="msg-system" data-message-row="" data-seq={message.seq} {...rowProps(message, rowKey)}>
      <span class="msg-system-text" dir="auto">
        {event && s ? (
          <Translated
            k={s.key}
            params={{
              actor: <UserText text={s.actor} title={person(event.actorId).title} />,
              targets: <NameList people={(event.targetIds ?? []).map(person)} />,
              value: s.value,
              gender: s.gender,
            }}
          />
        ) : (
          <UserText text={message.text} />
        )}
      </span>
      <Time ts={message.ts} />
    </div>
  );
}

function Announcement({ message, rowKey }: { message: MessageView; rowKey: string }): JSX.Element {
  const users = client.users.value;
  // The hub says what is still to confirm (client.announcements); the page remembers nothing.
  const pending = message.status === 'sent' && !message.deleted && isPendingAnnouncement(message.seq);
  const sender = users[message.senderId];
  const author = message.displayName ?? nameOf(users, message.senderId);
  const cls = ['msg-announcement', pending ? 'pending' : '', isHighlighted(message) ? 'highlight' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={cls} data-message-row="" data-seq={message.seq} {...rowProps(message, rowKey)}>
      <div class="announcement-head">
        <Icon name="megaphone" />
        <strong>{t('message.announcement')}</strong>
        <span class="announcement-author">
          <UserText text={author} title={authorTitle(author, sender)} />
          {sender?.isBot && <span class="tag tag-bot">{t('message.bot')}</span>}
        </span>
        <Meta message={message} />
        <MoreButton message={message} rowKey={rowKey} />
      </div>
      {message.deleted ? (
        <span class="msg-deleted">{t('msgActions.deleted')}</span>
      ) : (
        <>
          {message.text && <MessageText text={message.text} myLogin={client.me.value?.login} />}
          {message.blocks && message.blocks.length > 0 && (
            <BlockCard blocks={message.blocks} flavour={flavourOf(message, sender)} myLogin={client.me.value?.login} />
          )}
          {message.attachments?.map((a, i) => (
            <AttachmentCard
              key={i}
              attachment={a}
              flavour={flavourOf(message, sender)}
              myLogin={client.me.value?.login}
            />
          ))}
          <MessageReactions message={message} />
        </>
      )}
      {pending && (
        <button
          type="button"
          class="button button-brand button-small"
          disabled={confirmingAnnouncements.value.has(message.seq)}
          onClick={() => void confirmAnnouncement(message.seq)}
        >
          <Icon name="check" size={16} />
          {t('message.confirm')}
        </button>
      )}
      <ChangeError message={message} />
    </div>
  );
}

/** The dialect of a message's text and cards; a forward's is its original author's (markupFlavour). */
function flavourOf(message: MessageView, sender: User | undefined): Flavour {
  return markupFlavour(message, sender, message.forwarded && client.users.value[message.forwarded.senderId]);
}

/** What a (not deleted) text message carries: forwarded mark, quote, files, text, cards, reactions. */
function TextContent({ message, sender }: { message: MessageView; sender: User | undefined }): JSX.Element {
  const me = client.me.value;
  const withFiles = hasFiles(message);
  return (
    <>
      <ForwardedFrom message={message} />
      {message.replyTo && <ReplyQuote conversationId={message.conversationId} quote={message.replyTo} />}
      {withFiles && <MessageFiles message={message} />}
      {(message.text || (message.status !== 'sent' && !withFiles)) && (
        <div class="bubble">
          <MessageText text={message.text} myLogin={me?.login} flavour={flavourOf(message, sender)} />
          <Meta message={message} />
        </div>
      )}
      {message.blocks && message.blocks.length > 0 && (
        <BlockCard blocks={message.blocks} flavour={flavourOf(message, sender)} myLogin={me?.login} />
      )}
      {message.attachments?.map((a, i) => (
        <AttachmentCard key={i} attachment={a} flavour={flavourOf(message, sender)} myLogin={me?.login} />
      ))}
      {!message.text && (message.status === 'sent' || withFiles) && <Meta message={message} standalone />}
      <MessageReactions message={message} />
      <MessageActionsBar message={message} />
    </>
  );
}

function TextMessage({ row }: { row: Extract<Row, { kind: 'message' }> }): JSX.Element {
  const { message, groupStart, groupEnd } = row;
  const users = client.users.value;
  const me = client.me.value;
  const mine = me !== null && message.senderId === me.id && !message.displayName;
  const sender = users[message.senderId];
  const name = message.displayName ?? nameOf(users, message.senderId);
  const isBot = !!message.displayName || !!sender?.isBot;
  const mentionsMe =
    !mine && !message.deleted && me !== null && (message.mentionsAll || message.mentions.includes(me.id));
  const cls = [
    'msg',
    mine ? 'mine' : 'theirs',
    groupStart ? 'group-start' : 'group-cont',
    groupEnd ? 'group-end' : '',
    message.status,
    mentionsMe ? 'mentions-me' : '',
    message.deleted ? 'deleted' : '',
    isHighlighted(message) ? 'highlight' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const more: ComponentChildren = <MoreButton message={message} rowKey={row.key} />;
  return (
    <div
      class={cls}
      data-message-row=""
      data-seq={message.seq}
      data-status={message.status}
      {...rowProps(message, row.key)}
    >
      {!mine && (
        <div class="msg-gutter">
          {groupStart && (
            <ProfileButton userId={message.displayName ? null : message.senderId} name={name} decorative>
              <Avatar
                name={name}
                seed={message.displayName ? `bot:${name}` : message.senderId}
                title={authorTitle(name, sender)}
              />
            </ProfileButton>
          )}
        </div>
      )}
      {mine && more}
      <div class="msg-main">
        {groupStart && !mine && (
          <div class="msg-author">
            <ProfileButton userId={message.displayName ? null : message.senderId} name={authorTitle(name, sender)}>
              <UserText class="msg-name" text={name} title={authorTitle(name, sender)} />
            </ProfileButton>
            {isBot && <span class="tag tag-bot">{t('message.bot')}</span>}
          </div>
        )}
        {message.deleted ? <DeletedBubble message={message} /> : <TextContent message={message} sender={sender} />}
        {message.status === 'failed' && <Failure message={message} />}
        <ChangeError message={message} />
      </div>
      {!mine && more}
    </div>
  );
}

function DaySeparator({ ts }: { ts: number }): JSX.Element {
  return (
    <div class="day-separator" role="separator">
      <span>{dayLabel(ts, now.value, language.value)}</span>
    </div>
  );
}

function TopRow({ state }: { state: Extract<ListRow, { kind: 'top' }>['state'] }): JSX.Element {
  if (state === 'empty') return <div class="list-top empty-conversation">{t('conversation.empty')}</div>;
  if (state === 'start') return <div class="list-top">{t('conversation.historyStart')}</div>;
  return (
    <div class="list-top" aria-busy={state === 'loading'}>
      {state === 'loading' ? <span class="spinner" aria-hidden="true" /> : null}
      {state === 'loading' ? t('conversation.loadingOlder') : ''}
    </div>
  );
}

function RowView({ row }: { row: ListRow }): JSX.Element {
  switch (row.kind) {
    case 'top':
      return <TopRow state={row.state} />;
    case 'day':
      return <DaySeparator ts={row.ts} />;
    case 'unread':
      return (
        <div class="unread-divider" role="separator" id="unread-divider">
          <span>{t('conversation.newMessages')}</span>
        </div>
      );
    case 'message':
      if (row.message.kind === 'system') return <SystemLine message={row.message} rowKey={row.key} />;
      if (row.message.kind === 'announcement') return <Announcement message={row.message} rowKey={row.key} />;
      return <TextMessage row={row} />;
  }
}

function sameRow(a: { row: ListRow }, b: { row: ListRow }): boolean {
  const x = a.row;
  const y = b.row;
  if (x === y) return true;
  if (x.kind !== y.kind || x.key !== y.key) return false;
  if (x.kind === 'message' && y.kind === 'message') {
    return x.message === y.message && x.groupStart === y.groupStart && x.groupEnd === y.groupEnd;
  }
  if (x.kind === 'top' && y.kind === 'top') return x.state === y.state;
  if (x.kind === 'day' && y.kind === 'day') return x.ts === y.ts;
  return true;
}

/** One row of the message list; re-renders only when its own row (or a signal it reads) changes. */
export class MessageRow extends Component<{ row: ListRow }> {
  override shouldComponentUpdate(next: { row: ListRow }): boolean {
    return !sameRow(this.props, next);
  }

  override render(): JSX.Element {
    return <RowView row={this.props.row} />;
  }
}
