import type { AttentionReason } from '../../common/client/classifyMessage.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import { fileWords, messageText } from '../../common/client/messageText.ts';
import { notificationLine } from '../../common/client/notificationLine.ts';
import type { Lang } from '../../common/i18n/Lang.ts';
import type { Message } from '../../common/protocol/model.ts';
import { translate } from '../i18n/translate.ts';
import { conversationName } from '../state/selectors.ts';
import type { WebNotificationSpec } from './NotificationPort.ts';

/**
 * A web notification for a message: the title says who and where (a direct message: the
 * person; a mention: «Борис упоминает вас · Склад»; a room message: «Борис · Склад»; an
 * announcement: «Объявление · Борис»), the body is the message as plain words (Markdown read as
 * text, files named — see messageText). Tagged by conversation: the newest replaces the older.
 */
export function notificationContent(
  message: Message,
  reason: AttentionReason,
  state: Pick<ClientState, 'users' | 'conversations'>,
  lang: Lang,
): WebNotificationSpec {
  const sender = notificationLine(
    message.displayName ?? state.users[message.senderId]?.name ?? translate(lang, 'notify.someone'),
  );
  const conversation = state.conversations[message.conversationId];
  const where = notificationLine(conversation ? conversationName(conversation, state.users) : '');
  const title =
    reason === 'direct'
      ? sender
      : reason === 'mention'
        ? translate(lang, 'notify.mentionTitle', { name: sender, conversation: where })
        : reason === 'announcement'
          ? translate(lang, 'notify.announcementTitle', { name: sender })
          : `${sender} · ${where}`;
  const body = notificationLine(messageText(message, fileWords[lang]));
  return { title: notificationLine(title), body, tag: `beseda-${message.conversationId}` };
}
