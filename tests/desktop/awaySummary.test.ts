// «Пока вас не было»: what came while the desktop app was closed (or the machine asleep) is told
// in ONE notification when it connects again — counts in correct Russian and English plurals,
// mentions and direct conversations named first, a click opening the most important one — and the
// catch-up's messages notify nothing of their own. A real hub; recording fakes at the ports.
import { describe, expect, it } from 'vitest';
import { awayEntries, awaySummary } from '../../main/away/awaySummary.ts';
import type { AwayEntry } from '../../main/away/awaySummary.ts';
import { desktopStrings } from '../../main/i18n/DesktopStrings.ts';
import type { Conversation } from '../../common/protocol/model.ts';
import { startDesktop, until, useDesktopScene } from './harness.ts';
import type { Desktop, DesktopOptions, Peer } from './harness.ts';

let alice: { id: number; login: string; password: string };
let ivan: Peer;
let maria: Peer;
let dmIvan: number;
let sales: number;
let warehouse: number;
let smoking: number;
let archive: number;

const scene = useDesktopScene(
  { login: 'alice', name: 'Алиса' },
  { ivan: 'Иван Петров', maria: 'Мария Иванова' },
  async (started) => {
    alice = started.user;
    ivan = started.peers.ivan!;
    maria = started.peers.maria!;
    dmIvan = ((await ivan.socket.request('direct.open', { userId: alice.id })) as { conversation: { id: number } })
      .conversation.id;
    const room = async (by: Peer, name: string) =>
      (
        (await by.socket.request('rooms.create', { name, kind: 'open', members: [alice.id, ivan.id, maria.id] })) as {
          conversation: { id: number };
        }
      ).conversation.id;
    sales = await room(ivan, 'Отдел продаж');
    warehouse = await room(maria, 'Склад');
    smoking = await room(maria, 'Курилка');
    archive = await room(ivan, 'Архив заявок');
  },
);

/** A desktop signed in as alice with everything read and nothing notified yet. */
async function desktop(options: DesktopOptions = {}): Promise<Desktop> {
  const d = await scene.desktop(options);
  await readAll(d);
  return d;
}

async function readAll(d: Desktop): Promise<void> {
  for (const c of Object.values(d.client.getStateNow().conversations)) {
    if (c.unread === 0) continue;
    await d.app.backend.setVisible(true);
    await d.app.backend.setActiveConversation(c.id);
    await until(() => d.client.getStateNow().messages[c.id]?.items.some((m) => m.seq === c.lastSeq), 'history');
    await d.app.backend.markSeen(c.id, c.lastSeq);
  }
  await d.app.backend.setActiveConversation(null);
  await d.app.backend.setVisible(false);
  await until(() => d.client.getStateNow().totalUnread === 0, 'everything read');
  d.notifier.shown = [];
}

/**
 * The same app quit, `whileClosed` run, and started again on the same settings file (the session
 * resumes): a restart.
 */
async function restart(
  d: Desktop,
  whileClosed: () => Promise<unknown> = async () => undefined,
  options: DesktopOptions = {},
): Promise<Desktop> {
  d.app.beforeQuit();
  await whileClosed();
  return scene.track(await startDesktop({ hidden: true, store: d.store, secrets: d.secrets, ...options }));
}

/** Sends while alice's app is away; resolves the message's seq. */
const send = async (from: Peer, conversationId: number, text: string) =>
  (await from.send(conversationId, text)).message.seq;

/** Lets timers (grouping, catch-up) and the network run, then returns what was notified. */
async function settle(d: Desktop): Promise<Desktop['notifier']['shown']> {
  await new Promise((r) => setTimeout(r, 400));
  d.clock.advance(20_000);
  return d.notifier.shown;
}

describe('while you were away: after the app starts', () => {
  it('one notification for what came while it was closed; muted, `none` and quiet rooms left out; a click opens the mention', async () => {
    const first = await desktop();
    await first.app.backend.setNotify(smoking, { mutedUntil: null });
    await first.app.backend.setNotify(archive, { notify: 'none' });
    await until(() => first.client.getStateNow().conversations[archive]?.notify === 'none', 'level stored');
    first.app.beforeQuit();

    await send(ivan, dmIvan, 'Алиса, перезвони');
    await send(ivan, dmIvan, 'по поводу счёта');
    await send(ivan, sales, '@alice посмотри договор');
    await send(maria, sales, '@alice и смету тоже');
    await send(maria, warehouse, 'привезли паллеты');
    for (let i = 0; i < 3; i++) await send(maria, smoking, `кофе ${i}`);
    await send(ivan, archive, 'заявка 17 закрыта');
    const general = Object.values(first.client.getStateNow().conversations).find((c) => c.kind === 'general')!.id;
    await send(maria, general, 'всем доброе утро');

    const d = scene.track(await startDesktop({ hidden: true, store: first.store, secrets: first.secrets }));
    await until(() => d.client.getStateNow().connection === 'connected', 'connected');
    await until(() => d.notifier.shown.length > 0, 'the summary');
    const shown = await settle(d);
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      {
        title: 'Пока вас не было: 5 сообщений в 3 разговорах, 2 упоминания',
        body: 'Отдел продаж, Иван Петров, Склад',
      },
    ]);
    expect(d.log.text()).toContain('"after":"start"');
    shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    expect(d.windows.current!.navigations).toEqual([sales]);
    // The counts themselves are untouched: the badge still says what is unread.
    expect(d.client.getStateNow().conversations[smoking]!.unread).toBe(3);
    await d.app.backend.setNotify(smoking, { mutedUntil: 0 });
    await d.app.backend.setNotify(archive, { notify: 'default' });
  });

  it('a click opens the direct conversation when nobody mentioned the user; English on an English system', async () => {
    const d0 = await desktop();
    const d = await restart(
      d0,
      async () => {
        await send(maria, warehouse, 'инвентаризация в пятницу');
        await send(ivan, dmIvan, 'are you there?');
        await send(maria, warehouse, 'и в субботу');
      },
      { locale: 'en' },
    );
    await until(() => d.notifier.shown.length > 0, 'the summary');
    const shown = await settle(d);
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'While you were away: 3 messages in 2 conversations', body: 'Иван Петров, Склад' },
    ]);
    shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    expect(d.windows.current!.navigations).toEqual([dmIvan]);
  });

  it('nothing new: no notification; do-not-disturb and the tray’s mute keep it quiet', async () => {
    const d0 = await desktop();
    const quiet = await restart(d0);
    await until(() => quiet.client.getStateNow().connection === 'connected', 'connected');
    expect(await settle(quiet)).toEqual([]);
    expect(quiet.log.text()).toMatch(/while away.*"messages":0/);

    await quiet.app.backend.setStatus('dnd');
    await until(() => quiet.client.getStateNow().me?.presence === 'dnd', 'dnd');
    const dnd = await restart(quiet, () => send(ivan, dmIvan, 'не беспокою?'));
    await until(() => dnd.log.text().includes('while away'), 'summed up');
    expect(await settle(dnd)).toEqual([]);
    expect(dnd.log.text()).toMatch(/while away.*"messages":1,"conversations":1,"shown":false/);
    await dnd.app.backend.setStatus('online');
    await until(() => dnd.client.getStateNow().me?.presence === 'online', 'online');

    // «Не беспокоить на… 1 час» from the tray, then a restart within the hour.
    dnd.settings.set('muteUntil', dnd.clock.now() + 3_600_000);
    const muted = await restart(dnd);
    await until(() => muted.log.text().includes('while away'), 'summed up');
    expect(await settle(muted)).toEqual([]);
    await readAll(muted);
  });

  it('counts only what came since the app last ran, not what was unread before; sign-out forgets', async () => {
    const d0 = await desktop();
    const seq = await send(maria, warehouse, 'пришло, пока приложение работало');
    await until(() => d0.client.getStateNow().conversations[warehouse]!.lastSeq >= seq, 'delivery');
    const again = await restart(d0);
    await until(() => again.log.text().includes('while away'), 'summed up');
    expect(await settle(again)).toEqual([]);
    expect(again.client.getStateNow().conversations[warehouse]!.unread).toBe(1);
    const third = await restart(again, () => send(maria, warehouse, 'пришло, пока приложение было закрыто'));
    await until(() => third.notifier.shown.length > 0, 'the summary');
    expect((await settle(third)).map((n) => n.title)).toEqual(['Пока вас не было: 1 сообщение в 1 разговоре']);
    expect(third.settings.get('awayBaseline')).toMatchObject({ userId: alice.id });
    await readAll(third);
    await third.app.backend.signOut();
    expect(third.settings.get('awayBaseline')).toBeNull();
  });
});

describe('while you were away: after sleep', () => {
  // A back-off of a minute: only the wake-up explains a quick reconnect.
  const slowRetry: DesktopOptions = { tuning: { backoffBaseMs: 60_000, backoffCapMs: 60_000 }, random: () => 0.99 };

  it('resume: one summary for the catch-up, none per message; live messages afterwards notify as usual', async () => {
    const d = await desktop(slowRetry);
    const caughtUp: number[] = [];
    d.client.onIncoming((ms, source) => source === 'catchup' && caughtUp.push(...ms.map((m) => m.seq)));
    d.power.emit('suspend');
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    const seqs = [
      await send(maria, warehouse, 'машина задерживается'),
      await send(ivan, sales, '@alice нужна подпись'),
      await send(ivan, dmIvan, 'ты где?'),
      await send(maria, warehouse, 'уже приехала'),
    ];
    d.gate.restore();
    d.power.emit('resume');
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    // The catch-up brings the messages themselves after hello: they are told in the summary only.
    await until(() => caughtUp.length === seqs.length, 'caught up', 5000);
    const shown = await settle(d);
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      {
        title: 'Пока вас не было: 4 сообщения в 3 разговорах, 1 упоминание',
        body: 'Отдел продаж, Иван Петров, Склад',
      },
    ]);
    expect(d.log.text()).toContain('"after":"sleep"');
    shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    expect(d.windows.current!.navigations).toEqual([sales]);
    d.windows.current!.hide();
    d.notifier.shown = [];

    const live = await send(ivan, dmIvan, 'теперь вживую');
    await until(() => (d.client.getStateNow().conversations[dmIvan]?.lastSeq ?? 0) >= live, 'live delivery');
    expect((await settle(d)).map((n) => n.body)).toEqual(['теперь вживую']);
    await readAll(d);
  });

  it('only what came during the sleep counts, not what was already unread before it', async () => {
    const d = await desktop(slowRetry);
    await send(maria, warehouse, 'непрочитанное до сна');
    await until(() => d.client.getStateNow().conversations[warehouse]!.unread === 1, 'unread before');
    d.clock.advance(5000);
    d.notifier.shown = [];
    d.power.emit('suspend');
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    await send(maria, warehouse, 'пришло во сне');
    d.gate.restore();
    d.power.emit('resume');
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    expect((await settle(d)).map((n) => n.title)).toEqual(['Пока вас не было: 1 сообщение в 1 разговоре']);
    await readAll(d);
  });

  it('a connection that survived the sleep is no return: a later reconnect notifies as before', async () => {
    const d = await desktop(slowRetry);
    d.power.emit('resume');
    // Still connected (the probe answered): after the wake window the watch lets go.
    d.clock.advance(120_000);
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    await send(ivan, dmIvan, 'после обрыва');
    d.gate.restore();
    d.power.online = false;
    d.clock.advance(5000);
    d.power.online = true;
    d.clock.advance(5000);
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    await until(() => (d.clock.advance(3000), d.notifier.shown.length > 0), 'shown');
    const shown = d.notifier.shown;
    expect(shown.map((n) => n.title)).toEqual(['Иван Петров']);
    expect(d.log.text()).not.toContain('while away","fields":{"after":"sleep"');
    await readAll(d);
  });
});

describe('the summary’s words and choices', () => {
  const ru = desktopStrings('ru');
  const en = desktopStrings('en');
  const entry = (id: number, over: Partial<AwayEntry> = {}): AwayEntry => ({
    conversationId: id,
    name: `Комната ${id}`,
    direct: false,
    messages: 1,
    mentions: 0,
    lastSeq: id,
    ...over,
  });

  it('Russian and English plurals', () => {
    const title = (strings: typeof ru, messages: number, conversations: number, mentions: number) =>
      strings.away.title(messages, conversations, mentions);
    expect(title(ru, 1, 1, 0)).toBe('Пока вас не было: 1 сообщение в 1 разговоре');
    expect(title(ru, 2, 2, 1)).toBe('Пока вас не было: 2 сообщения в 2 разговорах, 1 упоминание');
    expect(title(ru, 5, 3, 2)).toBe('Пока вас не было: 5 сообщений в 3 разговорах, 2 упоминания');
    expect(title(ru, 11, 11, 5)).toBe('Пока вас не было: 11 сообщений в 11 разговорах, 5 упоминаний');
    expect(title(ru, 21, 21, 21)).toBe('Пока вас не было: 21 сообщение в 21 разговоре, 21 упоминание');
    expect(title(ru, 104, 22, 12)).toBe('Пока вас не было: 104 сообщения в 22 разговорах, 12 упоминаний');
    expect(title(en, 1, 1, 1)).toBe('While you were away: 1 message in 1 conversation, 1 mention');
    expect(title(en, 5, 3, 2)).toBe('While you were away: 5 messages in 3 conversations, 2 mentions');
  });

  it('names mentions, then direct conversations, then the rest, newest first; a click opens the first', () => {
    const spec = awaySummary(
      [
        entry(1, { name: 'Склад', lastSeq: 90 }),
        entry(2, { name: 'Иван Петров', direct: true, lastSeq: 50 }),
        entry(3, { name: 'Отдел продаж', mentions: 1, lastSeq: 10 }),
        entry(4, { name: 'Мария Иванова', direct: true, lastSeq: 70 }),
        entry(5, { name: 'Бухгалтерия', lastSeq: 95 }),
        entry(6, { name: 'Снабжение', lastSeq: 1 }),
      ],
      ru,
      'win32',
    )!;
    expect(spec.body).toBe('Отдел продаж, Мария Иванова, Иван Петров, Бухгалтерия, …');
    expect(spec.conversationId).toBe(3);
    expect(awaySummary([entry(1, { lastSeq: 5 }), entry(2, { lastSeq: 9 })], ru, 'win32')!.conversationId).toBe(2);
    expect(awaySummary([], ru, 'win32')).toBeNull();
    // Names are user text: on Linux, no markup reaches the notification daemon.
    expect(awaySummary([entry(1, { name: '<b>Склад</b>' })], ru, 'linux')!.body).toBe('‹b›Склад‹/b›');
  });

  it('counts like the notifications would: levels, mutes, and a baseline from before the sleep', () => {
    const c = (id: number, over: Partial<Conversation>): Conversation => ({
      id,
      kind: 'open',
      name: `R${id}`,
      topic: '',
      ownerId: null,
      peerId: null,
      memberCount: 3,
      archived: false,
      createdAt: 0,
      lastSeq: 10,
      lastTs: 0,
      readSeq: 0,
      unread: 0,
      mentions: 0,
      ...over,
    });
    const now = 1_000_000;
    const conversations = {
      1: c(1, { unread: 4, mentions: 1 }),
      2: c(2, { kind: 'general', unread: 7, mentions: 2 }),
      3: c(3, { unread: 3, notify: 'none' }),
      4: c(4, { unread: 3, mutedUntil: now + 1000 }),
      5: c(5, { unread: 3, mutedUntil: now - 1000 }),
      6: c(6, { kind: 'direct', unread: 2, mentions: 2 }),
      7: c(7, { unread: 2, archived: true }),
    };
    const counts = (before: Parameters<typeof awayEntries>[1]) =>
      awayEntries(conversations, before, now).map((e) => [e.conversationId, e.messages, e.mentions]);
    // From start: the general room (mentions only) counts its mentions; a mute past its time is over.
    expect(counts(null)).toEqual([
      [1, 4, 1],
      [2, 2, 2],
      [5, 3, 0],
      [6, 2, 0],
    ]);
    // After sleep: only what is beyond the baseline; a conversation with nothing newer is left out.
    const base = { lastSeq: 8, readSeq: 0, unread: 3, mentions: 1 };
    expect(counts({ 1: base, 2: { ...base, lastSeq: 10 }, 5: base, 6: { ...base, unread: 1, mentions: 1 } })).toEqual([
      [1, 1, 0],
      [6, 1, 0],
    ]);
    // Read elsewhere meanwhile (the marker passed the old newest): every unread one now is new.
    const readElsewhere = { 1: c(1, { readSeq: 9, unread: 1 }) };
    expect(awayEntries(readElsewhere, { 1: base }, now).map((e) => e.messages)).toEqual([1]);
  });
});
