// Notifications, flashing and badges as the desktop app decides them, driven by a real hub:
// other users post over the protocol, the desktop user's ChatClient receives it in the "main
// process", and the recording fakes show what Electron would have been asked to do.
import { describe, expect, it } from 'vitest';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { generalId, until, useDesktopScene } from './harness.ts';
import type { Desktop, DesktopOptions, Peer } from './harness.ts';

let hub: TestHub;
let alice: { id: number; login: string; password: string };
let bob: Peer;
let carol: Peer;
let dmBob: number;
let dmCarol: number;
let warehouse: number;
let accounts: number;

const scene = useDesktopScene({ login: 'alice', name: 'Алиса' }, { bob: 'Борис', carol: 'Карина' }, async (started) => {
  ({ hub, user: alice } = started);
  bob = started.peers.bob!;
  carol = started.peers.carol!;
  dmBob = ((await bob.socket.request('direct.open', { userId: alice.id })) as { conversation: { id: number } })
    .conversation.id;
  dmCarol = ((await carol.socket.request('direct.open', { userId: alice.id })) as { conversation: { id: number } })
    .conversation.id;
  const room = (socket: Peer, name: string) =>
    socket.socket.request('rooms.create', { name, kind: 'open', members: [alice.id] }) as Promise<{
      conversation: { id: number };
    }>;
  warehouse = (await room(bob, 'Склад')).conversation.id;
  accounts = (await room(carol, 'Бухгалтерия')).conversation.id;
  await carol.socket.request('rooms.invite', { conversationId: accounts, userIds: [bob.id] });
});

/** A desktop signed in as alice, everything read, window hidden in the tray unless told otherwise. */
async function desktop(options: DesktopOptions = {}): Promise<Desktop> {
  const d = await scene.desktop(options);
  // Start from nothing unread: mark every conversation read on the hub, then wait for the state.
  const state = d.client.getStateNow();
  for (const c of Object.values(state.conversations)) {
    if (c.unread > 0) {
      await d.app.backend.setVisible(true);
      await d.app.backend.setActiveConversation(c.id);
      // Only what is seen is read (issue 14): say the newest message was seen once it is held.
      await until(() => d.client.getStateNow().messages[c.id]?.items.some((m) => m.seq === c.lastSeq), 'history');
      await d.app.backend.markSeen(c.id, c.lastSeq);
    }
  }
  await d.app.backend.setActiveConversation(null);
  await d.app.backend.setVisible(false);
  await until(() => d.client.getStateNow().totalUnread === 0, 'everything read');
  d.notifier.shown = [];
  return d;
}

/** Posts and waits until alice's client has it. */
async function post(d: Desktop, from: Peer, conversationId: number, text: string): Promise<number> {
  const { message } = await from.send(conversationId, text);
  await until(() => (d.client.getStateNow().conversations[conversationId]?.lastSeq ?? 0) >= message.seq, 'delivery');
  // The client looks up senders it has not seen yet; the notification waits for the name.
  await until(() => d.client.getStateNow().users[from.id] !== undefined, 'sender known');
  return message.seq;
}

describe('native notifications', () => {
  it('notifies a direct message; a click opens the window at that conversation', async () => {
    const d = await desktop();
    await post(d, bob, dmBob, 'Зайди ко мне, пожалуйста');
    expect(d.notifier.shown).toHaveLength(0);
    d.clock.advance(1000);
    expect(d.notifier.shown).toEqual([
      expect.objectContaining({ title: 'Борис', body: 'Зайди ко мне, пожалуйста', conversationId: dmBob }),
    ]);
    expect(d.windows.all).toHaveLength(0);
    d.notifier.shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    const w = d.windows.current!;
    expect(w.visible && w.focused).toBe(true);
    expect(w.navigations).toEqual([dmBob]);
    expect(d.client.getStateNow().activeConversationId).toBe(dmBob);
  });

  it('notifies mentions and room messages by the room level; the general room stays quiet', async () => {
    const d = await desktop();
    await post(d, bob, warehouse, 'Пришла поставка');
    d.clock.advance(1000);
    expect(d.notifier.shown.map((n) => n.title)).toEqual(['Борис · Склад']);
    await post(d, bob, generalId(d), 'Всем доброе утро');
    d.clock.advance(1000);
    expect(d.notifier.shown).toHaveLength(1);
    await post(d, bob, generalId(d), '@alice посмотри график');
    d.clock.advance(1000);
    const generalName = d.client.getStateNow().conversations[generalId(d)]!.name;
    expect(d.notifier.shown.map((n) => n.title)).toEqual(['Борис · Склад', `Борис упоминает вас · ${generalName}`]);
    // The room set to "nothing" from the tray menu: silent, even for a mention.
    const item = findMenuItem(d.tray.menu, `settings.rooms.${warehouse}.none`);
    expect(item?.type).toBe('radio');
    if (item?.type === 'radio') item.click();
    // The level is stored on the hub (every device obeys it), not in the desktop settings.
    await until(() => d.client.getStateNow().conversations[warehouse]?.notify === 'none', 'level on the hub');
    expect(d.settings.get('roomNotify')).toEqual({});
    await post(d, bob, warehouse, '@alice и ещё одна');
    d.clock.advance(1000);
    expect(d.notifier.shown).toHaveLength(2);
    await d.app.backend.setNotify(warehouse, { notify: 'default' });
  });

  it('never notifies the user’s own messages, from this or another device', async () => {
    const d = await desktop();
    await d.app.backend.send(dmBob, 'сам себе не пишу');
    await until(
      () =>
        d.client.getStateNow().messages[dmBob]?.items.some((m) => m.text === 'сам себе не пишу' && m.status === 'sent'),
      'sent',
    );
    const { token } = await hub.login('alice', alice.password);
    const { TestSocket } = await import('../helpers/TestSocket.ts');
    const phone = await TestSocket.open(hub.wsUrl, token);
    const { message } = (await phone.request('send', {
      conversationId: dmBob,
      text: 'с телефона',
      clientId: 'phone-0001-abcd',
    })) as {
      message: { seq: number };
    };
    await until(() => (d.client.getStateNow().conversations[dmBob]?.lastSeq ?? 0) >= message.seq, 'own message');
    phone.close();
    d.clock.advance(5000);
    expect(d.notifier.shown).toHaveLength(0);
  });

  it('stays quiet for the conversation on screen, and speaks once the window loses focus', async () => {
    const d = await desktop({ hidden: false });
    const w = d.windows.current!;
    expect(w.focused).toBe(true);
    await d.app.backend.setActiveConversation(dmBob);
    await post(d, bob, dmBob, 'вижу, что ты тут');
    d.clock.advance(1000);
    expect(d.notifier.shown).toHaveLength(0);
    w.blur();
    await post(d, bob, dmBob, 'а теперь отошла');
    d.clock.advance(1000);
    expect(d.notifier.shown.map((n) => n.body)).toEqual(['а теперь отошла']);
  });

  it('do-not-disturb silences notifications and flashing, but the badge still counts', async () => {
    const d = await desktop({ hidden: false });
    d.windows.current!.blur();
    await d.app.backend.setStatus('dnd');
    await until(() => d.client.getStateNow().me?.presence === 'dnd', 'dnd');
    await post(d, bob, dmBob, 'срочно!');
    d.clock.advance(5000);
    expect(d.notifier.shown).toHaveLength(0);
    expect(d.windows.current!.flashes).toEqual([]);
    await until(() => d.badge.last?.count === 1, 'badge 1');
    expect(d.badge.last).toMatchObject({ count: 1, mention: true });
    expect(d.tray.tooltip).toContain('1 непрочитанное');
    await d.app.backend.setStatus('online');
  });

  it('mute for an hour from the tray menu silences, and ends by itself', async () => {
    const d = await desktop();
    const mute = findMenuItem(d.tray.menu, 'mute.hour');
    if (mute?.type !== 'normal') throw new Error('no mute item');
    mute.click!();
    expect(d.tray.tooltip).toMatch(/без звука до \d\d:\d\d/);
    await post(d, bob, dmBob, 'пока ты без звука');
    d.clock.advance(1000);
    expect(d.notifier.shown).toHaveLength(0);
    d.clock.advance(60 * 60 * 1000);
    expect(d.tray.tooltip).not.toContain('без звука');
    await post(d, bob, dmBob, 'звук снова есть');
    d.clock.advance(1000);
    expect(d.notifier.shown.map((n) => n.body)).toEqual(['звук снова есть']);
    const tomorrow = findMenuItem(d.tray.menu, 'mute.tomorrow');
    if (tomorrow?.type !== 'normal') throw new Error('no item');
    tomorrow.click!();
    const until8 = new Date(d.settings.get('muteUntil')!);
    expect(until8.getHours()).toBe(8);
    expect(until8.getTime()).toBeGreaterThan(d.clock.now());
    const unmute = findMenuItem(d.tray.menu, 'mute.off');
    if (unmute?.type !== 'normal') throw new Error('no item');
    unmute.click!();
    expect(d.settings.get('muteUntil')).toBeNull();
  });

  it('groups a burst of 20 messages in 3 conversations into one notification', async () => {
    const d = await desktop();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 12; i++) sends.push(bob.send(warehouse, `позиция ${i}`));
    for (let i = 0; i < 5; i++) sends.push(bob.send(dmBob, `лично ${i}`));
    for (let i = 0; i < 3; i++) sends.push(carol.send(accounts, `счёт ${i}`));
    const seqs = (await Promise.all(sends)) as { message: { seq: number; conversationId: number } }[];
    for (const { message } of seqs)
      await until(
        () => (d.client.getStateNow().conversations[message.conversationId]?.lastSeq ?? 0) >= message.seq,
        'burst',
      );
    d.clock.advance(3000);
    expect(d.notifier.shown).toHaveLength(1);
    expect(d.notifier.shown[0]!.title).toBe('20 новых сообщений в 3 беседах');
    d.notifier.shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    expect(d.windows.current!.navigations).toEqual([dmBob]);
  });

  it('speaks English on an English system', async () => {
    const d = await desktop({ locale: 'en' });
    await post(d, carol, dmCarol, 'hello');
    await post(d, bob, dmBob, 'hi');
    d.clock.advance(1000);
    expect(d.notifier.shown.map((n) => n.title)).toEqual(['2 new messages in 2 conversations']);
    expect(d.tray.tooltip).toBe('Beseda — 2 unread (2 mentions) · connected');
  });
});

describe('taskbar flashing', () => {
  it('flashes for a direct message while unfocused and stops on focus', async () => {
    const d = await desktop({ hidden: false });
    const w = d.windows.current!;
    w.blur();
    await post(d, bob, warehouse, 'обычное сообщение в комнате');
    expect(w.flashes).toEqual([]);
    await post(d, bob, dmBob, 'личное');
    expect(w.flashes).toEqual([true]);
    w.focus();
    expect(w.flashes).toEqual([true, false]);
  });

  it('follows the policy: all messages, or never', async () => {
    const d = await desktop({ hidden: false });
    const w = d.windows.current!;
    w.blur();
    const all = findMenuItem(d.tray.menu, 'settings.flash.all');
    if (all?.type !== 'radio') throw new Error('no item');
    all.click();
    await post(d, bob, warehouse, 'в комнате');
    expect(w.flashing).toBe(true);
    w.focus();
    w.blur();
    const never = findMenuItem(d.tray.menu, 'settings.flash.never');
    if (never?.type !== 'radio') throw new Error('no item');
    never.click();
    await post(d, bob, dmBob, 'даже личное');
    expect(w.flashing).toBe(false);
  });

  it('does not flash a window hidden in the tray', async () => {
    const d = await desktop({ hidden: false });
    const w = d.windows.current!;
    d.app.trayClicked();
    expect(w.visible).toBe(false);
    await post(d, bob, dmBob, 'ты где');
    expect(w.flashes).toEqual([]);
  });
});
