import { describe, expect, it } from 'vitest';
import type { Conversation, Message, NotifyLevel } from '../../common/protocol/model.ts';
import { desktopStrings } from '../../main/i18n/DesktopStrings.ts';
import { classifyEditMention, classifyMessage, isMuted, notifyLevel } from '../../common/client/classifyMessage.ts';
import type { AttentionContext } from '../../common/client/classifyMessage.ts';
import { NotificationCenter } from '../../main/notify/NotificationCenter.ts';
import { shouldFlash } from '../../main/notify/shouldFlash.ts';
import { conversation, message, user } from '../e2e/sampleState.ts';
import { FakeClock, RecordingNotifier } from './fakes.ts';

const conv = (id: number, kind: Conversation['kind'], name: string, readSeq = 0) =>
  conversation(id, kind, name, { peerId: kind === 'direct' ? 2 : null, lastSeq: readSeq, readSeq });
let seq = 100;
const msg = (conversationId: number, senderId: number, text: string, extra: Partial<Message> = {}): Message =>
  message(++seq, conversationId, text, { senderId, ...extra });

const me = user(1, 'Алиса');
const state = {
  me,
  users: { 1: me, 2: user(2, 'Борис'), 3: user(3, 'Карина') },
  conversations: {
    10: conv(10, 'general', 'Общий'),
    11: conv(11, 'open', 'Склад'),
    12: conv(12, 'direct', 'Борис'),
    13: conv(13, 'closed', 'Бухгалтерия', 500),
  },
  activeConversationId: null as number | null,
};
const now = 1_800_000_000_000;
/** The context, with the hub's per-conversation levels and mutes (`Conversation.notify`, `mutedUntil`) set as given. */
const ctx = (
  over: Partial<AttentionContext> & {
    levels?: Record<number, NotifyLevel>;
    muted?: Record<number, number | null>;
  } = {},
): AttentionContext => {
  const base = over.state ?? state;
  const conversations: Record<number, Conversation> = { ...base.conversations };
  for (const [id, level] of Object.entries(over.levels ?? {}))
    conversations[Number(id)] = { ...conversations[Number(id)]!, notify: level };
  for (const [id, until] of Object.entries(over.muted ?? {}))
    conversations[Number(id)] = { ...conversations[Number(id)]!, mutedUntil: until };
  return { state: { ...base, conversations }, windowFocused: over.windowFocused ?? false, now: over.now ?? now };
};

describe('which message deserves a notification', () => {
  it('direct messages and mentions notify; rooms by their level; the general room only for mentions', () => {
    expect(classifyMessage(msg(12, 2, 'привет'), ctx()).notify).toBe('direct');
    expect(classifyMessage(msg(11, 2, '@u1 глянь', { mentions: [1] }), ctx()).notify).toBe('mention');
    expect(classifyMessage(msg(10, 2, '@all обед', { mentionsAll: true }), ctx()).notify).toBe('mention');
    expect(classifyMessage(msg(11, 2, 'поставка'), ctx()).notify).toBe('room');
    expect(classifyMessage(msg(10, 2, 'всем привет'), ctx())).toEqual({ notify: null, fresh: true });
    expect(classifyMessage(msg(10, 2, 'всем привет'), ctx({ levels: { 10: 'all' } })).notify).toBe('room');
    expect(classifyMessage(msg(11, 2, 'поставка'), ctx({ levels: { 11: 'mentions' } })).notify).toBeNull();
    expect(classifyMessage(msg(11, 2, '@u1', { mentions: [1] }), ctx({ levels: { 11: 'none' } }))).toEqual({
      notify: null,
      fresh: false,
    });
    expect(classifyMessage(msg(11, 2, 'важно', { kind: 'announcement' }), ctx({ levels: { 11: 'none' } })).notify).toBe(
      'announcement',
    );
  });

  it('the default level: mentions in the general room, all elsewhere; the hub-stored level wins', () => {
    expect(notifyLevel(state.conversations[10])).toBe('mentions');
    expect(notifyLevel(state.conversations[11])).toBe('all');
    expect(notifyLevel(state.conversations[12])).toBe('all');
    expect(notifyLevel({ ...state.conversations[10], notify: 'none' })).toBe('none');
    // A direct conversation set to mentions still notifies every message: it is addressed to the user.
    expect(classifyMessage(msg(12, 2, 'привет'), ctx({ levels: { 12: 'mentions' } })).notify).toBe('direct');
    expect(classifyMessage(msg(12, 2, 'привет'), ctx({ levels: { 12: 'none' } })).notify).toBeNull();
  });

  it('a muted conversation is quiet (no notification, not fresh) until the mute runs out; announcements still come', () => {
    expect(classifyMessage(msg(12, 2, 'привет'), ctx({ muted: { 12: null } }))).toEqual({ notify: null, fresh: false });
    expect(classifyMessage(msg(11, 2, '@u1', { mentions: [1] }), ctx({ muted: { 11: now + 1 } }))).toEqual({
      notify: null,
      fresh: false,
    });
    expect(classifyMessage(msg(12, 2, 'снова'), ctx({ muted: { 12: now } })).notify).toBe('direct');
    expect(classifyMessage(msg(11, 2, 'важно', { kind: 'announcement' }), ctx({ muted: { 11: null } })).notify).toBe(
      'announcement',
    );
    expect(isMuted({}, now)).toBe(false);
    expect(isMuted({ mutedUntil: null }, now)).toBe(true);
    expect(isMuted({ mutedUntil: now - 1 }, now)).toBe(false);
    // An edit that newly mentions the user: quiet when muted or set to nothing, else a mention.
    const edited = msg(11, 2, '@u1 см. выше', { mentions: [1], seq: 1 });
    expect(classifyEditMention(edited, ctx()).notify).toBe('mention');
    expect(classifyEditMention(edited, ctx({ muted: { 11: null } })).notify).toBeNull();
    expect(classifyEditMention(edited, ctx({ levels: { 11: 'none' } })).notify).toBeNull();
  });

  it('never for own messages, system messages, read ones, unknown conversations', () => {
    expect(classifyMessage(msg(12, 1, 'моё'), ctx()).notify).toBeNull();
    expect(
      classifyMessage(msg(11, 2, '', { kind: 'system', system: { event: 'joined', actorId: 2 } }), ctx()).notify,
    ).toBeNull();
    expect(classifyMessage(msg(13, 2, 'старое', { seq: 400 }), ctx()).notify).toBeNull();
    expect(classifyMessage(msg(99, 2, 'где это'), ctx()).notify).toBeNull();
    expect(classifyMessage(msg(12, 2, 'x'), ctx({ state: { ...state, me: null } })).notify).toBeNull();
  });

  it('not for the conversation on screen in a focused window, but yes when unfocused', () => {
    const looking = { ...state, activeConversationId: 12 };
    expect(classifyMessage(msg(12, 2, 'видишь?'), ctx({ state: looking, windowFocused: true })).notify).toBeNull();
    expect(classifyMessage(msg(12, 2, 'видишь?'), ctx({ state: looking, windowFocused: false })).notify).toBe('direct');
    expect(
      classifyMessage(msg(11, 2, '@u1', { mentions: [1] }), ctx({ state: looking, windowFocused: true })).notify,
    ).toBe('mention');
  });
});

describe('flash policy', () => {
  const unfocused = { shown: true, focused: false };
  const direct = { notify: 'direct' as const, fresh: true };
  const room = { notify: 'room' as const, fresh: true };
  const quietRoom = { notify: null, fresh: true };
  it('flashes by policy only while the window is on the taskbar and unfocused', () => {
    expect(shouldFlash('mentions', direct, unfocused, false)).toBe(true);
    expect(shouldFlash('mentions', room, unfocused, false)).toBe(false);
    expect(shouldFlash('all', quietRoom, unfocused, false)).toBe(true);
    expect(shouldFlash('never', direct, unfocused, false)).toBe(false);
    expect(shouldFlash('all', direct, { shown: true, focused: true }, false)).toBe(false);
    expect(shouldFlash('all', direct, { shown: false, focused: false }, false)).toBe(false);
    expect(shouldFlash('all', direct, unfocused, true)).toBe(false);
    expect(shouldFlash('all', { notify: null, fresh: false }, unfocused, false)).toBe(false);
  });
});

describe('grouping', () => {
  const make = (
    over: { preview?: boolean; silenced?: boolean; platform?: NodeJS.Platform; lang?: 'ru' | 'en' } = {},
  ) => {
    const clock = new FakeClock();
    const notifier = new RecordingNotifier();
    const opened: (number | null)[] = [];
    const wanted = new Set<number>();
    const center = new NotificationCenter({
      notifier,
      clock,
      strings: desktopStrings(over.lang ?? 'ru'),
      platform: over.platform ?? 'win32',
      state: () => state,
      preview: () => over.preview ?? true,
      silenced: () => over.silenced ?? false,
      stillWanted: (m) => !wanted.has(m.seq),
      open: (id) => opened.push(id),
    });
    return { clock, notifier, opened, center, unwanted: wanted };
  };

  it('tells a card-only message (a webhook) by its card', () => {
    const { clock, notifier, center } = make();
    center.add(msg(12, 2, '', { attachments: [{ fallback: 'Zabbix: диск заполнен на 95%' }] }), 'direct', 'live');
    clock.advance(1000);
    expect(notifier.shown.map((n) => n.body)).toEqual(['Zabbix: диск заполнен на 95%']);
  });

  it('tells a files-only message by its files in the desktop’s language', () => {
    const image = {
      id: 'f' + 'A'.repeat(22),
      name: 'IMG_0412.jpg',
      size: 10,
      type: 'image/jpeg',
      kind: 'image' as const,
    };
    const shot = { ...image, name: 'Screenshot 2026-12-02 09.31.png' };
    const pdf = { ...image, name: 'Счёт №17.pdf', kind: 'file' as const };
    for (const [lang, expected] of [
      ['en', ['📎 Image', '📎 Screenshot +1', '📎 Счёт №17.pdf']],
      ['ru', ['📎 Изображение', '📎 Скриншот +1', '📎 Счёт №17.pdf']],
    ] as const) {
      const { clock, notifier, center } = make({ lang });
      for (const files of [[image], [shot, pdf], [pdf]]) {
        center.add(msg(12, 2, '', { files }), 'direct', 'live');
        clock.advance(1000);
      }
      expect(notifier.shown.map((n) => n.body)).toEqual(expected);
    }
  });

  it('waits briefly (once) for the name of a sender the client is still looking up', () => {
    const { clock, notifier, center } = make();
    center.add(msg(12, 7, 'я новенький'), 'direct', 'live');
    clock.advance(1000);
    expect(notifier.shown).toHaveLength(0);
    const users = state.users as Record<number, ReturnType<typeof user>>;
    users[7] = user(7, 'Пётр');
    clock.advance(400);
    expect(notifier.shown.map((n) => n.title)).toEqual(['Пётр']);
    delete users[7];
    // A name that never comes does not hold the notification back for longer.
    center.add(msg(12, 8, 'и я'), 'direct', 'live');
    clock.advance(1400);
    expect(notifier.shown).toHaveLength(2);
  });

  it('shows a lone message as itself after a short quiet time', () => {
    const { clock, notifier, center, opened } = make();
    center.add(msg(12, 2, 'зайди ко мне'), 'direct', 'live');
    clock.advance(999);
    expect(notifier.shown).toHaveLength(0);
    clock.advance(1);
    expect(notifier.shown).toEqual([
      expect.objectContaining({ title: 'Борис', body: 'зайди ко мне', conversationId: 12 }),
    ]);
    notifier.shown[0]!.click();
    expect(opened).toEqual([12]);
  });

  it('turns a burst into one summary and opens the newest personal conversation on click', () => {
    const { clock, notifier, center, opened } = make();
    for (let i = 0; i < 12; i++) center.add(msg(11, 2, `строка ${i}`), 'room', 'live');
    for (let i = 0; i < 5; i++) center.add(msg(12, 2, `лично ${i}`), 'direct', 'live');
    for (let i = 0; i < 3; i++) center.add(msg(13, 3, `счёт ${i}`, { seq: 600 + i }), 'room', 'live');
    clock.advance(3000);
    expect(notifier.shown).toHaveLength(1);
    expect(notifier.shown[0]!.title).toBe('20 новых сообщений в 3 беседах');
    expect(notifier.shown[0]!.body).toBe('Бухгалтерия, Борис, Склад');
    notifier.shown[0]!.click();
    expect(opened).toEqual([12]);
  });

  it('caps the wait: a steady stream still notifies within 3 s', () => {
    const { clock, notifier, center } = make();
    for (let i = 0; i < 10; i++) {
      center.add(msg(11, 2, `поток ${i}`), 'room', 'live');
      clock.advance(500);
    }
    expect(notifier.shown.length).toBeGreaterThanOrEqual(1);
    expect(notifier.shown[0]!.title).toMatch(/^\d+ новых сообщени[йя] · Склад$/);
  });

  it('collects a catch-up across its pages into one notification', () => {
    const { clock, notifier, center } = make();
    center.add(msg(12, 2, 'пока ты спал'), 'direct', 'catchup');
    clock.advance(1500);
    center.add(msg(11, 2, 'ещё'), 'room', 'catchup');
    clock.advance(1500);
    expect(notifier.shown).toHaveLength(0);
    clock.advance(500);
    expect(notifier.shown.map((n) => n.title)).toEqual(['2 новых сообщения в 2 беседах']);
  });

  it('drops what was read meanwhile, and everything while silenced', () => {
    const a = make();
    const m = msg(12, 2, 'прочитаю сразу');
    a.center.add(m, 'direct', 'live');
    a.unwanted.add(m.seq);
    a.clock.advance(5000);
    expect(a.notifier.shown).toHaveLength(0);
    const b = make({ silenced: true });
    b.center.add(msg(12, 2, 'тихо'), 'direct', 'live');
    b.clock.advance(5000);
    expect(b.notifier.shown).toHaveLength(0);
  });

  it('hides the text when previews are off and sanitises it on Linux', () => {
    const a = make({ preview: false });
    a.center.add(msg(12, 2, 'секрет'), 'direct', 'live');
    a.clock.advance(1000);
    expect(a.notifier.shown[0]).toMatchObject({ title: 'Борис', body: 'Новое сообщение' });
    const b = make({ platform: 'linux' });
    b.center.add(msg(11, 2, '<img src="http://x/y.png">', { mentions: [1] }), 'mention', 'live');
    b.clock.advance(1000);
    expect(b.notifier.shown[0]!.title).toBe('Борис упоминает вас · Склад');
    expect(b.notifier.shown[0]!.body).not.toMatch(/[<>]/);
  });
});
