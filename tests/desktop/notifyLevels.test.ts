// The desktop app obeys the per-conversation notification settings stored on the hub (set from a
// browser or another device), and moves the levels older versions kept locally to the hub once.
// A real hub; the recording fakes show what Electron would have been asked to do.
import { describe, expect, it } from 'vitest';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { appEntryUrl } from '../../main/security/appProtocol.ts';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import { MapSettingsStore } from './fakes.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { startDesktop, until, useDesktopScene } from './harness.ts';
import type { Desktop, Peer } from './harness.ts';

let hub: TestHub;
let alice: { id: number; login: string; password: string };
let bob: Peer;
let dmBob: number;
let warehouse: number;
let accounts: number;

const { desktop, track } = useDesktopScene({ login: 'alice', name: 'Алиса' }, { bob: 'Борис' }, async (scene) => {
  ({ hub, user: alice } = scene);
  bob = scene.peers.bob!;
  dmBob = ((await bob.socket.request('direct.open', { userId: alice.id })) as { conversation: { id: number } })
    .conversation.id;
  const room = async (name: string) =>
    (
      (await bob.socket.request('rooms.create', { name, kind: 'open', members: [alice.id] })) as {
        conversation: { id: number };
      }
    ).conversation.id;
  warehouse = await room('Склад');
  accounts = await room('Бухгалтерия');
});

/** Alice's browser: a raw socket of her own session. */
async function browser(): Promise<TestSocket> {
  const { token } = await hub.login('alice', alice.password);
  return TestSocket.open(hub.wsUrl, token);
}

async function post(d: Desktop, conversationId: number, text: string): Promise<void> {
  const { message } = await bob.send(conversationId, text);
  await until(() => (d.client.getStateNow().conversations[conversationId]?.lastSeq ?? 0) >= message.seq, 'delivery');
  await until(() => d.client.getStateNow().users[bob.id] !== undefined, 'sender known');
}

describe('desktop and the hub-stored notification settings', () => {
  it('a mute and a level set in the browser silence the desktop; the tray menu shows the hub level', async () => {
    const d = await desktop();
    const web = await browser();
    await web.request('conversations.notify', { conversationId: dmBob, mutedUntil: null });
    await web.request('conversations.notify', { conversationId: warehouse, notify: 'none' });
    await until(() => d.client.getStateNow().conversations[dmBob]?.mutedUntil === null, 'mute heard');
    await until(() => d.client.getStateNow().conversations[warehouse]?.notify === 'none', 'level heard');
    const radio = await until(() => {
      const item = findMenuItem(d.tray.menu, `settings.rooms.${warehouse}.none`);
      return item?.type === 'radio' && item.checked ? item : null;
    }, 'tray shows none');
    expect(radio).toBeTruthy();
    d.notifier.shown = [];
    await post(d, dmBob, 'ты тут?');
    await post(d, warehouse, '@alice срочно');
    d.clock.advance(5000);
    expect(d.notifier.shown).toEqual([]);
    // Still counted unread (quietly).
    expect(d.client.getStateNow().conversations[dmBob]!.unread).toBeGreaterThan(0);

    // Unmuted in the browser: the next direct message notifies again.
    await web.request('conversations.notify', { conversationId: dmBob, mutedUntil: 0 });
    await until(() => d.client.getStateNow().conversations[dmBob]?.mutedUntil === undefined, 'unmute heard');
    await post(d, dmBob, 'ответь, пожалуйста');
    d.clock.advance(5000);
    expect(d.notifier.shown.map((n) => n.body)).toEqual(['ответь, пожалуйста']);
    await web.request('conversations.notify', { conversationId: warehouse, notify: 'default' });
    web.close();
  });

  it('the old local roomNotify levels move to the hub once, then the setting is empty and ignored', async () => {
    const store = new MapSettingsStore();
    store.set('settings.roomNotify', { [String(accounts)]: 'none', [String(warehouse)]: 'mentions', '999999': 'all' });
    const d = await desktop({ store });
    await until(() => d.settings.get('roomNotify') && Object.keys(d.settings.get('roomNotify')).length === 0, 'moved');
    const web = await browser();
    const listed = (await web.request('conversations.list')) as { conversations: { id: number; notify?: string }[] };
    const level = (id: number) => listed.conversations.find((c) => c.id === id)?.notify;
    expect(level(accounts)).toBe('none');
    expect(level(warehouse)).toBe('mentions');
    // Changed in the browser afterwards: a second start of the desktop does not put the old level back.
    await web.request('conversations.notify', { conversationId: accounts, notify: 'all' });
    d.stop();
    // The same settings (and saved session): signed in again by itself.
    const again = track(await startDesktop({ hidden: true, store, secrets: d.secrets }));
    await until(() => again.client.getStateNow().connection === 'connected', 'signed in again');
    await until(() => again.client.getStateNow().conversations[accounts]?.notify === 'all', 'hub level');
    const relisted = (await web.request('conversations.list')) as { conversations: { id: number; notify?: string }[] };
    expect(relisted.conversations.find((c) => c.id === accounts)?.notify).toBe('all');
    await web.request('conversations.notify', { conversationId: accounts, notify: 'default' });
    await web.request('conversations.notify', { conversationId: warehouse, notify: 'default' });
    web.close();
  });

  it('the renderer reaches setNotify over IPC only with a level, a mute time, null or 0', () => {
    const page = { frameUrl: appEntryUrl, isMainFrame: true };
    for (const args of [
      [5, { notify: 'none' }],
      [5, { notify: 'default' }],
      [5, { mutedUntil: null }],
      [5, { mutedUntil: 0 }],
      [5, { notify: 'mentions', mutedUntil: 1_800_000_000_000 }],
      [5, {}],
    ])
      expect(checkInvoke(page, 'setNotify', args), JSON.stringify(args)).toMatchObject({ ok: true });
    for (const args of [
      [5, { notify: 'loud' }],
      [5, { mutedUntil: -1 }],
      [5, { mutedUntil: 1.5 }],
      [5, { notify: 'all', extra: 1 }],
      ['5', { notify: 'all' }],
      [5],
    ])
      expect(checkInvoke(page, 'setNotify', args).ok, JSON.stringify(args)).toBe(false);
  });
});
