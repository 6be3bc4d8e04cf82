import { effect, signal } from '@preact/signals';
import { classifyEditMention, classifyMessage } from '../../common/client/classifyMessage.ts';
import type { Attention } from '../../common/client/classifyMessage.ts';
import type { IncomingSource } from '../../common/client/StateIntake.ts';
import type { Message } from '../../common/protocol/model.ts';
import { openConversation } from '../actions/conversations.ts';
import { notify } from '../actions/notify.ts';
import { language } from '../i18n/language.ts';
import { translate } from '../i18n/translate.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import { client, clientSnapshot } from '../state/clientState.ts';
import { compactLayout, pageVisible } from '../state/uiState.ts';
import { notificationContent } from './notificationContent.ts';
import { browserNotificationPort } from './NotificationPort.ts';
import type { NotificationPort, NotifyPermission } from './NotificationPort.ts';
import { playNotifySound } from './notifySound.ts';

/** The client core's streams of new messages (ChatClient has them; the desktop's IPC backend does not). */
export interface IncomingStreams {
  onIncoming(listener: (messages: Message[], source: IncomingSource) => void): () => void;
  onEditMention?(listener: (messages: Message[], source: IncomingSource) => void): () => void;
}

/** The web client decides notifications itself (the desktop app's main process does, natively). */
export const webNotificationsActive = signal(false);
/** What the browser allows now. */
export const notifyPermission = signal<NotifyPermission>('unsupported');
/** The «Включить уведомления на рабочем столе?» banner is up. */
export const askBanner = signal(false);
/** A message shown inside the page because the browser does not show notifications (not allowed, or no API). */
export interface MessageToast {
  id: number;
  title: string;
  body: string;
  conversationId: number;
}
/** The in-page message notices, oldest first (at most three). */
export const messageToasts = signal<readonly MessageToast[]>([]);
/** Compact layout: a new direct message the user has not opened yet (the banner at the top). */
export const urgentDirect = signal<{ conversationId: number; senderId: number } | null>(null);

const askedKey = 'beseda.notify.asked';
const toastMs = 8000;
let nextToast = 1;
let port: NotificationPort = browserNotificationPort();
let toldDenied = false;

function askedBefore(): boolean {
  try {
    return localStorage.getItem(askedKey) === '1';
  } catch {
    return false;
  }
}

function rememberAsked(): void {
  try {
    localStorage.setItem(askedKey, '1');
  } catch {
    // No storage: the banner may come back after a reload.
  }
}

/**
 * Starts the web client's notifications: every new message (and edit newly mentioning the user)
 * goes through the same rule as the desktop app (classifyMessage: direct messages and mentions by
 * default, the hub's per-conversation levels and mutes); do-not-disturb silences all. A message
 * that deserves it chimes (switchable off) and shows as a desktop notification where the browser
 * allows, else as an in-page toast; in the compact layout a direct message also raises the banner
 * at the top. Permission is never asked on page load: the first message that deserves a
 * notification raises a banner whose button asks (a user gesture, as browsers require).
 * Catch-up after a reconnect is summed up in one notification, and only while the page is hidden.
 */
export function startWebNotifications(streams: IncomingStreams, given?: NotificationPort): () => void {
  if (given) port = given;
  webNotificationsActive.value = true;
  notifyPermission.value = port.permission();
  const offs = [
    streams.onIncoming((messages, source) => handle(messages, source, false)),
    streams.onEditMention?.((messages, source) => handle(messages, source, true)) ?? (() => undefined),
  ];
  return () => {
    for (const off of offs) off();
    webNotificationsActive.value = false;
  };
}

function handle(messages: readonly Message[], source: IncomingSource, edited: boolean): void {
  const state = clientSnapshot();
  if (!state.me || state.me.presence === 'dnd') return;
  const ctx = { state, windowFocused: pageVisible.value, now: Date.now() };
  const wanted: [Message, Attention][] = [];
  for (const message of messages) {
    const attention = (edited ? classifyEditMention : classifyMessage)(message, ctx);
    if (attention.notify) wanted.push([message, attention]);
  }
  if (!wanted.length) return;
  // Catch-up while the user looks at the page: the sidebar's badges say it already.
  if (source === 'catchup' && pageVisible.value) return;
  notifyPermission.value = port.permission();
  playNotifySound();
  const lang = language.value;
  if (source === 'catchup' && wanted.length > 1) {
    const last = wanted[wanted.length - 1]![0];
    show(
      {
        title: translate(lang, 'appName'),
        body: translate(lang, 'notify.summary', { n: wanted.length }),
        tag: 'beseda-catchup',
      },
      last.conversationId,
    );
    return;
  }
  const showAll = () => {
    const now = clientSnapshot();
    for (const [message, attention] of wanted) {
      show(notificationContent(message, attention.notify!, now, lang), message.conversationId);
      if (attention.notify === 'direct' && compactLayout.value)
        urgentDirect.value = { conversationId: message.conversationId, senderId: message.senderId };
    }
  };
  // A sender the client has never seen (a colleague writing for the first time, or a message
  // right after sign-in) is being fetched right now: wait for the name, briefly, rather than
  // title the notification «Кто-то». The desktop's NotificationCenter waits the same way.
  const unknown = (s: ClientState) => wanted.some(([m]) => !m.displayName && !s.users[m.senderId]);
  if (!unknown(state)) showAll();
  else whenKnown(() => !unknown(clientSnapshot()), showAll);
}

/** How long a notification waits for its sender's name before showing without it. */
export const senderLookupGraceMs = 2000;

/** Runs `then` once `ready()` holds after a change of the known users, or after the grace. */
function whenKnown(ready: () => boolean, then: () => void): void {
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    // finish may run inside the effect's first run, before stopWatching is assigned.
    queueMicrotask(() => stopWatching());
    then();
  };
  const timer = setTimeout(finish, senderLookupGraceMs);
  const stopWatching = effect(() => {
    void client.users.value;
    if (ready()) finish();
  });
}

function show(spec: { title: string; body: string; tag: string }, conversationId: number): void {
  const permission = notifyPermission.value;
  if (permission === 'granted') {
    port.show(spec, () => {
      window.focus();
      openConversation(conversationId);
    });
    return;
  }
  // Not allowed (yet): the page itself must show it.
  const id = nextToast++;
  messageToasts.value = [...messageToasts.value.slice(-2), { id, title: spec.title, body: spec.body, conversationId }];
  setTimeout(() => dismissMessageToast(id), toastMs);
  if (permission === 'default' && !askedBefore()) askBanner.value = true;
  if ((permission === 'denied' || permission === 'unsupported') && !toldDenied) {
    toldDenied = true;
    notify(translate(language.value, permission === 'denied' ? 'notify.blocked' : 'notify.unsupported'));
  }
}

/** Removes an in-page message notice (its close button, its «open», or its time ran out). */
export function dismissMessageToast(id: number): void {
  messageToasts.value = messageToasts.value.filter((toast) => toast.id !== id);
}

/** The banner's or the menu's «Включить»: asks the browser (from the user's click). */
export async function enableDesktopNotifications(): Promise<void> {
  askBanner.value = false;
  rememberAsked();
  const result = await port.request();
  notifyPermission.value = result;
  const lang = language.value;
  if (result === 'granted') notify(translate(lang, 'notify.enabled'));
  else if (result === 'denied') {
    toldDenied = true;
    notify(translate(lang, 'notify.blocked'));
  }
}

/** The banner's «Не сейчас»: not asked again in this browser (the menu still offers it). */
export function dismissAskBanner(): void {
  askBanner.value = false;
  rememberAsked();
}
