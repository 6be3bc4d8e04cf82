// The stand-in state of the message-actions tests on the desktop path: Иван (me) in the general
// room with Мария's and his own messages in every state the message actions show (a reply, an
// edited message, a deleted one, a refused change, a change on its way, a link to a message), and
// a room Иван owns. Plus a bridge wrapper that answers showMessage like the client core would.
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { ClientState, MessageView } from '../../common/client/ClientState.ts';
import { conversation, user } from './sampleState.ts';

/** The hub address the stand-in state says it is signed in to. */
export const hubUrl = 'https://hub.example.local';

/** A minute ago, so every message is "today" and within any edit window. */
const base = Date.now() - 10 * 60_000;

/** A stored text message of the general room (10) unless said otherwise. */
export const message = (
  seq: number,
  senderId: number,
  text: string,
  extra: Partial<MessageView> = {},
): MessageView => ({
  seq,
  conversationId: 10,
  senderId,
  clientId: `client-${seq}-mm`,
  kind: 'text',
  text,
  ts: base + seq * 1000,
  mentions: [],
  mentionsAll: false,
  status: 'sent',
  ...extra,
});

/** The general room's messages: oldest first. */
export function generalMessages(): MessageView[] {
  return [
    message(1, 2, 'Доброе утро! **Отчёт** нужен к обеду.\nВторая строка'),
    message(2, 1, 'Сейчас посмотрю', { editedAt: base + 2500, rev: 20 }),
    message(3, 2, 'Спасибо, жду', { replyTo: { seq: 2, senderId: 1, text: 'Сейчас посмотрю' } }),
    message(4, 2, '', { deleted: { by: 2, at: base + 4500 }, rev: 21 }),
    message(5, 3, 'А на удалённое отвечу', { replyTo: { seq: 4, senderId: 2, text: '', deleted: true } }),
    message(6, 1, 'Опечатка тут', {
      changeError: { kind: 'edit', code: 'edit_expired', message: 'edit window is over' },
    }),
    message(7, 1, 'Правлю прямо сейчас', { pendingChange: 'edit' }),
    message(8, 3, `Ссылка на начало: ${hubUrl}/#/c/10/m/1 и на пропавшее: ${hubUrl}/#/c/10/m/999`),
    message(9, 1, 'Последнее моё'),
  ];
}

/** An announcement in the general room, already confirmed (it stays in the list with its menu). */
export function announcement(): MessageView {
  return message(12, 2, 'Завтра плановые работы на сервере с 9:00 до 10:00', { kind: 'announcement' });
}

/** Иван (1, me), Мария (2), Пётр (3); the general room (10) and Иван's own room «Проект» (12). */
export function messageActionsState(): ClientState {
  const users = { 1: user(1, 'Иван Петров'), 2: user(2, 'Мария Иванова'), 3: user(3, 'Пётр Сидоров') };
  return {
    ...emptyClientState(),
    connection: 'connected',
    hubUrl,
    limits: {
      maxTextBytes: 16384,
      maxFrameBytes: 1 << 20,
      historyPageMax: 100,
      syncPageMax: 500,
      maxFileBytes: 100 << 20,
      maxFilesPerMessage: 10,
      editWindowMs: 0,
      maxReactionsPerMessage: 20,
    },
    me: users[1],
    users,
    conversations: {
      10: conversation(10, 'general', 'Общий чат', { memberCount: 3, lastSeq: 9, lastTs: base + 9000 }),
      12: conversation(12, 'open', 'Проект', { ownerId: 1, memberCount: 3, lastSeq: 11, lastTs: base + 11000 }),
    },
    messages: {
      10: { items: generalMessages(), hasOlder: false, loadingOlder: false },
      12: {
        items: [
          message(10, 2, 'Сообщение Марии в моей комнате', { conversationId: 12 }),
          message(11, 1, 'Моё в комнате', { conversationId: 12 }),
        ],
        hasOlder: false,
        loadingOlder: false,
      },
    },
  };
}

/**
 * Page-side script run before the stand-in bridge is installed: wraps it so `showMessage` answers
 * true for a message the test's state holds (seq below 100) and false otherwise, as the client core
 * would after looking through the history.
 */
export const answerShowMessage = `(() => {
  let bridge;
  Object.defineProperty(window, 'besedaBridge', {
    configurable: true,
    get() { return bridge; },
    set(real) {
      bridge = {
        ...real,
        invoke(method, ...args) {
          const answer = real.invoke(method, ...args);
          if (method === 'showMessage') return Promise.resolve(args[1] < 100);
          return answer;
        },
      };
    },
  });
})();`;
