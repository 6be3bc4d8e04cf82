// What the desktop's notifications say about the newer features, with a real hub: a message that
// is only files («📎 report.pdf», «📎 Скриншот»), reactions in direct conversations (only when the
// user asks for them in the tray), the tray's «Не беспокоить на…» durations, and a room set to
// mentions only from the browser (the level lives on the hub). Recording fakes at the ports.
import { describe, expect, it } from 'vitest';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import type { MenuItemSpec } from '../../main/tray/MenuItemSpec.ts';
import { screenshotPng } from '../e2e/sampleFiles.ts';
import { cid, person, upload } from '../files/fileHelpers.ts';
import type { Person } from '../files/fileHelpers.ts';
import type { TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { until, useDesktopScene } from './harness.ts';
import type { Desktop, Peer } from './harness.ts';

let hub: TestHub;
let alice: { id: number; login: string; password: string };
let bob: Peer;
let fedor: Person;
let dmBob: number;
let dmFedor: number;
let team: number;

const scene = useDesktopScene({ login: 'alice', name: 'Алиса' }, { bob: 'Борис' }, async (started) => {
  ({ hub, user: alice } = started);
  bob = started.peers.bob!;
  fedor = await person(hub, 'fedor');
  const direct = async (socket: TestSocket) =>
    ((await socket.request('direct.open', { userId: alice.id })) as { conversation: { id: number } }).conversation.id;
  dmBob = await direct(bob.socket);
  dmFedor = await direct(fedor.socket);
  team = (
    (await bob.socket.request('rooms.create', { name: 'Команда', kind: 'open', members: [alice.id] })) as {
      conversation: { id: number };
    }
  ).conversation.id;
});

/** Alice's browser (another device): a raw socket of her own session. */
async function browser(): Promise<TestSocket> {
  const { token } = await hub.login('alice', alice.password);
  return TestSocket.open(hub.wsUrl, token);
}

/** A desktop signed in as alice, everything read, nothing notified yet. */
async function desktop(): Promise<Desktop> {
  const d = await scene.desktop();
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
  d.clock.advance(20_000);
  d.notifier.shown = [];
  return d;
}

/** Waits until alice's client holds `seq` in the conversation, then lets the grouping time pass. */
async function delivered(d: Desktop, conversationId: number, seq: number): Promise<void> {
  await until(() => (d.client.getStateNow().conversations[conversationId]?.lastSeq ?? 0) >= seq, 'delivery');
  await until(() => Object.keys(d.client.getStateNow().users).length > 1, 'senders known');
  await new Promise((r) => setTimeout(r, 100));
  d.clock.advance(5000);
}

const menuItem = (d: Desktop, id: string): MenuItemSpec => {
  const item = findMenuItem(d.tray.menu, id);
  if (!item) throw new Error(`no menu item ${id}`);
  return item;
};
const click = (d: Desktop, id: string) => {
  const item = menuItem(d, id);
  if (item.type === 'separator' || item.type === 'submenu' || !item.click) throw new Error(`${id} is not clickable`);
  item.click();
};

describe('desktop notifications for the newer features', () => {
  it('a message that is only files says what they are: «📎 report.pdf», «📎 Скриншот»', async () => {
    const d = await desktop();
    const pdf = (await upload(hub, fedor.token, 'report.pdf', '%PDF-1.4\n%%EOF\n', 'application/pdf')).file!;
    const shot = (await upload(hub, fedor.token, 'Скриншот 2026-12-02 09.31.png', await screenshotPng(), 'image/png'))
      .file!;
    const send = async (files: string[]) =>
      (
        (await fedor.socket.request('send', { conversationId: dmFedor, clientId: cid('f'), text: '', files })) as {
          message: { seq: number };
        }
      ).message.seq;
    await delivered(d, dmFedor, await send([pdf.id]));
    await delivered(d, dmFedor, await send([shot.id]));
    expect(d.notifier.shown.map((n) => n.body)).toEqual(['📎 report.pdf', '📎 Скриншот']);
  });

  it('reactions in a direct conversation notify only when the tray’s setting asks; never in rooms or for a removal', async () => {
    const d = await desktop();
    const web = await browser();
    const mine = async (conversationId: number, text: string) => {
      const seq = (
        (await web.request('send', { conversationId, clientId: cid('a'), text })) as { message: { seq: number } }
      ).message.seq;
      await until(() => (d.client.getStateNow().conversations[conversationId]?.lastSeq ?? 0) >= seq, 'own message');
      return seq;
    };
    const react = async (seq: number, emoji: string, on = true) => {
      await bob.socket.request('message.react', { clientId: cid('r'), seq, emoji, on });
      await until(
        () =>
          Object.values(d.client.getStateNow().messages).some((w) =>
            w.items.some((m) => m.seq === seq && (m.reactions ?? []).some((r) => r.emoji === emoji) === on),
          ),
        'reaction heard',
      );
      d.clock.advance(5000);
    };
    const dmSeq = await mine(dmBob, 'Отчёт готов, посмотри');
    const roomSeq = await mine(team, 'Всем спасибо за неделю');
    // The window shows reactions on what it holds: load both conversations' messages.
    for (const [id, seq] of [
      [dmBob, dmSeq],
      [team, roomSeq],
    ] as const) {
      await d.app.backend.setActiveConversation(id);
      await until(() => d.client.getStateNow().messages[id]?.items.some((m) => m.seq === seq), 'history');
    }
    await d.app.backend.setActiveConversation(null);

    // Off by default: a reaction shows in the window only.
    expect(menuItem(d, 'settings.reactions')).toMatchObject({ type: 'checkbox', checked: false });
    await react(dmSeq, '👍');
    expect(d.notifier.shown).toEqual([]);

    click(d, 'settings.reactions');
    expect(d.settings.get('reactionNotify')).toBe(true);
    expect(menuItem(d, 'settings.reactions')).toMatchObject({
      checked: true,
      label: 'Уведомлять о реакциях в личных беседах',
    });
    await react(dmSeq, '👍', false);
    await react(roomSeq, '🎉');
    expect(d.notifier.shown).toEqual([]);
    await react(dmSeq, '🔥');
    expect(d.notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Борис', body: '🔥 на ваше сообщение «Отчёт готов, посмотри»' },
    ]);
    d.notifier.shown[0]!.click();
    await until(() => d.windows.current?.navigations.length, 'navigation');
    expect(d.windows.current!.navigations).toEqual([dmBob]);
    d.windows.current!.hide();

    // Without previews, only that someone reacted; do-not-disturb keeps it quiet.
    d.settings.set('notificationPreview', false);
    await react(dmSeq, '👀');
    expect(d.notifier.shown.at(-1)).toMatchObject({ title: 'Борис', body: 'Реакция на ваше сообщение' });
    const before = d.notifier.shown.length;
    await d.app.backend.setStatus('dnd');
    await until(() => d.client.getStateNow().me?.presence === 'dnd', 'dnd');
    await react(dmSeq, '💯');
    expect(d.notifier.shown).toHaveLength(before);
    await d.app.backend.setStatus('online');
    d.settings.set('notificationPreview', true);
    web.close();
  });

  it('the tray’s «Не беспокоить на…»: 30 minutes, 1 hour, 2 hours, until tomorrow, off', async () => {
    const d = await desktop();
    const mute = menuItem(d, 'mute');
    if (mute.type !== 'submenu') throw new Error('no submenu');
    expect(mute.label).toBe('Не беспокоить на…');
    expect(mute.submenu.map((i) => (i.type === 'separator' ? '' : i.label))).toEqual([
      '30 минут',
      '1 час',
      '2 часа',
      'До завтра',
      'Выключить',
    ]);
    const start = d.clock.now();
    click(d, 'mute.30m');
    expect(d.settings.get('muteUntil')).toBe(start + 30 * 60_000);
    expect(menuItem(d, 'mute')).toMatchObject({ label: expect.stringMatching(/^Не беспокоить до \d\d:\d\d$/) });
    const quiet = (await bob.send(dmBob, 'в тишине')).message.seq;
    await delivered(d, dmBob, quiet);
    expect(d.notifier.shown).toEqual([]);
    d.clock.advance(30 * 60_000);
    expect(menuItem(d, 'mute')).toMatchObject({ label: 'Не беспокоить на…' });
    await delivered(d, dmBob, (await bob.send(dmBob, 'снова слышно')).message.seq);
    expect(d.notifier.shown.map((n) => n.body)).toEqual(['снова слышно']);

    click(d, 'mute.2h');
    expect(d.settings.get('muteUntil')).toBe(d.clock.now() + 2 * 3_600_000);
    click(d, 'mute.hour');
    expect(d.settings.get('muteUntil')).toBe(d.clock.now() + 3_600_000);
    click(d, 'mute.tomorrow');
    expect(new Date(d.settings.get('muteUntil')!).getHours()).toBe(8);
    click(d, 'mute.off');
    expect(d.settings.get('muteUntil')).toBeNull();
    expect(menuItem(d, 'mute.off')).toMatchObject({ enabled: false });
  });

  it('a room set to mentions only in the browser: the desktop notifies its mentions, not the rest', async () => {
    const d = await desktop();
    const web = await browser();
    await web.request('conversations.notify', { conversationId: team, notify: 'mentions' });
    await until(() => d.client.getStateNow().conversations[team]?.notify === 'mentions', 'level heard');
    await delivered(d, team, (await bob.send(team, 'обед в час')).message.seq);
    expect(d.notifier.shown).toEqual([]);
    await delivered(d, team, (await bob.send(team, '@alice а ты пойдёшь?')).message.seq);
    expect(d.notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Борис упоминает вас · Команда', body: '@alice а ты пойдёшь?' },
    ]);
    await web.request('conversations.notify', { conversationId: team, notify: 'default' });
    web.close();
  });
});
