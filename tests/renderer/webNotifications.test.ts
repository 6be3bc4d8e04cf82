// The web client's notification decisions with a fake Notification port: the same rule as the
// desktop (direct messages and mentions by default, the hub's levels and mutes), do-not-disturb,
// toasts and the one-time offer when notifications are not allowed, the catch-up summary, the
// compact layout's direct-message bar, and the notification's words (Markdown read as text).
import './pageGlobals.ts';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyClientState } from '../../common/client/ClientState.ts';
import type { IncomingSource } from '../../common/client/StateIntake.ts';
import type { Conversation, Message, User } from '../../common/protocol/model.ts';
import { applyStatePatch, clientSnapshot, replaceClientState } from '../../renderer/state/clientState.ts';
import { compactLayout, pageVisible, toasts } from '../../renderer/state/uiState.ts';
import { notificationContent } from '../../renderer/notify/notificationContent.ts';
import type {
  NotificationPort,
  NotifyPermission,
  WebNotificationSpec,
} from '../../renderer/notify/NotificationPort.ts';
import {
  askBanner,
  messageToasts,
  senderLookupGraceMs,
  startWebNotifications,
  urgentDirect,
} from '../../renderer/notify/webNotifications.ts';
import { muteEndText, tomorrowMorning } from '../../common/client/muteTimes.ts';
import { conversation, message, user } from '../e2e/sampleState.ts';

(globalThis as Record<string, unknown>).window ??= globalThis;

const conv = (id: number, kind: Conversation['kind'], name: string, extra: Partial<Conversation> = {}) =>
  conversation(id, kind, name, { peerId: kind === 'direct' ? 2 : null, ...extra });
let seq = 100;
const msg = (conversationId: number, text: string, extra: Partial<Message> = {}): Message =>
  message(++seq, conversationId, text, extra);

class FakePort implements NotificationPort {
  shown: (WebNotificationSpec & { click: () => void })[] = [];
  requests = 0;
  constructor(public state: NotifyPermission) {}
  permission = () => this.state;
  request = async () => {
    this.requests++;
    return this.state;
  };
  show = (spec: WebNotificationSpec, onClick: () => void) => void this.shown.push({ ...spec, click: onClick });
}

let listener: (messages: Message[], source: IncomingSource) => void = () => undefined;
let editListener: (messages: Message[], source: IncomingSource) => void = () => undefined;
const streams = {
  onIncoming: (l: typeof listener) => {
    listener = l;
    return () => undefined;
  },
  onEditMention: (l: typeof listener) => {
    editListener = l;
    return () => undefined;
  },
};

function setState(over: { presence?: User['presence']; conversations?: Conversation[] } = {}): void {
  const me = user(1, 'Алиса', over.presence);
  const conversations = over.conversations ?? [
    conv(10, 'general', 'Общий'),
    conv(11, 'open', 'Склад'),
    conv(12, 'direct', 'Борис'),
  ];
  replaceClientState({
    ...emptyClientState(),
    connection: 'connected',
    me,
    users: { 1: me, 2: user(2, 'Борис') },
    conversations: Object.fromEntries(conversations.map((c) => [c.id, c])),
    activeConversationId: 10,
  });
}

let stop = () => undefined as void;
function start(permission: NotifyPermission): FakePort {
  stop();
  const port = new FakePort(permission);
  stop = startWebNotifications(streams, port);
  return port;
}

beforeEach(() => {
  setState();
  toasts.value = [];
  messageToasts.value = [];
  askBanner.value = false;
  urgentDirect.value = null;
  compactLayout.value = false;
  pageVisible.value = true;
});

describe('web notifications through the port', () => {
  it('granted: direct messages, mentions and room messages by level; nothing for the general room or the one on screen', () => {
    const port = start('granted');
    listener([msg(12, '**Привет**, зайди')], 'live');
    listener([msg(11, 'Пришла поставка')], 'live');
    listener([msg(10, 'Всем доброе утро')], 'live');
    pageVisible.value = false;
    listener([msg(10, '@u1 график', { mentions: [1] })], 'live');
    expect(port.shown.map((n) => [n.title, n.body, n.tag])).toEqual([
      ['Борис', 'Привет, зайди', 'beseda-12'],
      ['Борис · Склад', 'Пришла поставка', 'beseda-11'],
      ['Борис упоминает вас · Общий', '@u1 график', 'beseda-10'],
    ]);
    expect(toasts.value).toEqual([]);
    expect(messageToasts.value).toEqual([]);
    expect(port.requests).toBe(0);
  });

  it('an edit that newly mentions the user notifies as a mention, even for a message already read; a muted room stays quiet', () => {
    setState({
      conversations: [conv(10, 'general', 'Общий', { readSeq: 500 }), conv(11, 'open', 'Склад', { mutedUntil: null })],
    });
    const port = start('granted');
    pageVisible.value = false;
    const old = message(200, 10, '**Срочно**: @u1 проверь накладную', { mentions: [1], editedAt: Date.now() });
    editListener([old], 'live');
    editListener([message(201, 11, '@u1 тоже', { mentions: [1], editedAt: Date.now() })], 'live');
    expect(port.shown.map((n) => [n.title, n.body])).toEqual([
      ['Борис упоминает вас · Общий', 'Срочно: @u1 проверь накладную'],
    ]);
  });

  it('obeys the hub: a muted conversation and one set to nothing stay quiet; do-not-disturb silences all', () => {
    setState({
      conversations: [
        conv(10, 'general', 'Общий'),
        conv(11, 'open', 'Склад', { notify: 'none' }),
        conv(12, 'direct', 'Борис', { mutedUntil: null }),
        conv(13, 'open', 'Касса', { mutedUntil: Date.now() - 1000 }),
      ],
    });
    const port = start('granted');
    listener([msg(12, 'тихо'), msg(11, '@u1 тоже', { mentions: [1] }), msg(13, 'мьют кончился')], 'live');
    expect(port.shown.map((n) => n.body)).toEqual(['мьют кончился']);
    setState({ presence: 'dnd' });
    listener([msg(12, 'не беспокоить')], 'live');
    expect(port.shown).toHaveLength(1);
  });

  it('not allowed: an in-page toast with the words, the offer once (default), the refusal explained (denied)', () => {
    start('default');
    listener([msg(12, 'Ты на месте?')], 'live');
    expect(messageToasts.value.map((t) => [t.title, t.body, t.conversationId])).toEqual([
      ['Борис', 'Ты на месте?', 12],
    ]);
    expect(toasts.value).toEqual([]);
    expect(askBanner.value).toBe(true);
    messageToasts.value = [];
    askBanner.value = false;
    start('denied');
    listener([msg(12, 'Ау')], 'live');
    expect(messageToasts.value.map((t) => t.body)).toEqual(['Ау']);
    expect(toasts.value.map((t) => t.text)).toEqual([
      'Уведомления запрещены в браузере — новые сообщения будут показываться здесь',
    ]);
    expect(askBanner.value).toBe(false);
  });

  it('catch-up: nothing while the page is looked at; summed up in one notification while hidden', () => {
    const port = start('granted');
    listener([msg(12, 'раз'), msg(12, 'два')], 'catchup');
    expect(port.shown).toEqual([]);
    pageVisible.value = false;
    listener([msg(12, 'три'), msg(11, 'четыре')], 'catchup');
    expect(port.shown.map((n) => [n.title, n.body])).toEqual([['Беседа', '2 новых сообщения']]);
  });

  it('a sender not known yet: the notification waits for the name (not «Кто-то»), or shows without it after the grace', async () => {
    vi.useFakeTimers();
    try {
      setState({ conversations: [conv(10, 'general', 'Общий'), conv(14, 'direct', 'Вера', { peerId: 3 })] });
      const port = start('granted');
      listener([msg(14, 'Добрый день, я новенькая', { senderId: 3 })], 'live');
      expect(port.shown).toEqual([]);
      // The directory's users.get answers: the name arrives, the notification shows with it.
      applyStatePatch({ users: { ...clientSnapshot().users, 3: user(3, 'Вера Смирнова') } });
      await vi.advanceTimersByTimeAsync(0);
      expect(port.shown.map((n) => [n.title, n.body])).toEqual([['Вера Смирнова', 'Добрый день, я новенькая']]);
      // A name that never comes: shown after the grace, not lost.
      listener([msg(14, 'Ау', { senderId: 4 })], 'live');
      await vi.advanceTimersByTimeAsync(senderLookupGraceMs - 10);
      expect(port.shown).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      expect(port.shown.map((n) => n.title)).toEqual(['Вера Смирнова', 'Кто-то']);
      // A webhook's own display name needs no lookup.
      listener([msg(14, 'Сборка прошла', { senderId: 5, displayName: 'CI' })], 'live');
      expect(port.shown.map((n) => n.title)).toEqual(['Вера Смирнова', 'Кто-то', 'CI']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('compact layout: a direct message raises the bar, a room message does not', () => {
    compactLayout.value = true;
    start('granted');
    listener([msg(11, 'в комнату')], 'live');
    expect(urgentDirect.value).toBeNull();
    listener([msg(12, 'лично')], 'live');
    expect(urgentDirect.value).toEqual({ conversationId: 12, senderId: 2 });
  });
});

describe('notification words and mute times', () => {
  it('one plain line: Markdown as text, control and bidi characters out, long text cut', () => {
    const state = {
      users: { 2: user(2, 'Бо\u202eрис') },
      conversations: { 11: conv(11, 'open', 'Склад') },
    };
    const spec = notificationContent(
      msg(11, `**Итоги**: план _выполнен_\n- первое\n${'я'.repeat(300)}`),
      'room',
      state,
      'ru',
    );
    expect(spec.title).toBe('Борис · Склад');
    expect(spec.body.startsWith('Итоги: план выполнен • первое яя')).toBe(true);
    expect([...spec.body]).toHaveLength(160);
    expect(spec.body.endsWith('…')).toBe(true);
    const announcement = notificationContent(msg(11, 'важно', { kind: 'announcement' }), 'announcement', state, 'en');
    expect(announcement.title).toBe('Announcement · Борис');
  });

  it('until tomorrow is 08:00 the next day; the end reads as a time, with the date when not today', () => {
    const now = new Date(2026, 11, 2, 17, 30).getTime();
    expect(new Date(tomorrowMorning(now))).toEqual(new Date(2026, 11, 3, 8, 0));
    expect(muteEndText(new Date(2026, 11, 2, 18, 30).getTime(), now, 'ru')).toBe('18:30');
    expect(muteEndText(tomorrowMorning(now), now, 'ru')).toBe('08:00, 03.12');
  });
});
