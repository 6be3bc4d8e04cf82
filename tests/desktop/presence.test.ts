// Idle → away and back, screen lock, and waking up (resume, unlock, network change, a clock that
// jumped) → reconnect at once and catch up, with one summary notification for what was missed.
import { describe, expect, it } from 'vitest';
import { activityPollMs } from '../../main/presence/ActivityWatcher.ts';
import { findMenuItem } from '../../main/tray/MenuItemSpec.ts';
import { until, useDesktopScene } from './harness.ts';
import type { DesktopOptions, Peer } from './harness.ts';

let fay: { id: number; password: string };
let bob: Peer;
let dm: number;
let room: number;

const { desktop } = useDesktopScene({ login: 'fay', name: 'Фаина' }, { bob: 'Борис' }, async (scene) => {
  fay = scene.user;
  bob = scene.peers.bob!;
  dm = ((await bob.socket.request('direct.open', { userId: fay.id })) as { conversation: { id: number } }).conversation
    .id;
  // Bob's client looks up the people it shows (his direct peer): the hub tells him their presence.
  await bob.socket.request('users.get', { ids: [fay.id] });
  room = (
    (await bob.socket.request('rooms.create', { name: 'Снабжение', kind: 'open', members: [fay.id] })) as {
      conversation: { id: number };
    }
  ).conversation.id;
});

/** What bob's socket last heard about fay's presence. */
async function presenceSeenByBob(status: string): Promise<void> {
  await bob.socket.next('presence', (f) => f.userId === fay.id && f.status === status, 8000);
}

describe('idle and away', () => {
  it('goes away after 10 minutes without input and comes back on activity', async () => {
    const d = await desktop();
    await until(() => d.client.getStateNow().me?.presence === 'online', 'online');
    d.power.idle = 9 * 60;
    d.clock.advance(activityPollMs);
    expect(d.client.getStateNow().me?.presence).toBe('online');
    const away = presenceSeenByBob('away');
    d.power.idle = 10 * 60;
    d.clock.advance(activityPollMs);
    await away;
    const back = presenceSeenByBob('online');
    d.power.idle = 2;
    d.clock.advance(activityPollMs);
    await back;
  });

  it('goes away at once when the screen locks, and back on unlock', async () => {
    const d = await desktop();
    const away = presenceSeenByBob('away');
    d.power.emit('lock-screen');
    await away;
    const back = presenceSeenByBob('online');
    d.power.emit('unlock-screen');
    await back;
  });

  it('leaves a chosen do-not-disturb alone', async () => {
    const d = await desktop();
    await d.app.backend.setStatus('dnd');
    d.power.emit('lock-screen');
    d.power.emit('unlock-screen');
    await new Promise((r) => setTimeout(r, 300));
    expect(d.client.getStateNow().me?.presence).toBe('dnd');
    await d.app.backend.setStatus('online');
  });

  it('honours a chosen status while idle: the user picking "away" is not undone on activity', async () => {
    const d = await desktop();
    d.power.emit('lock-screen');
    await until(() => d.client.getStateNow().me?.presence === 'away', 'away');
    await d.app.backend.setStatus('away');
    d.power.emit('unlock-screen');
    await new Promise((r) => setTimeout(r, 300));
    expect(d.client.getStateNow().me?.presence).toBe('away');
    await d.app.backend.setStatus('online');
  });
});

describe('status from the tray menu', () => {
  it('sets online, away or do-not-disturb, and shows the choice', async () => {
    const d = await desktop();
    const pick = (status: string) => {
      const item = findMenuItem(d.tray.menu, `status.${status}`);
      if (item?.type !== 'radio') throw new Error(`no ${status} item`);
      item.click();
    };
    const dnd = presenceSeenByBob('dnd');
    pick('dnd');
    await dnd;
    await until(
      () =>
        findMenuItem(d.tray.menu, 'status')?.type === 'submenu' &&
        (findMenuItem(d.tray.menu, 'status.dnd') as { checked?: boolean }).checked,
      'dnd checked',
    );
    expect((findMenuItem(d.tray.menu, 'status') as { label: string }).label).toBe('Статус: Не беспокоить');
    const online = presenceSeenByBob('online');
    pick('online');
    await online;
  });
});

describe('waking up', () => {
  // A back-off that would wait ~a minute: only the wake-up can explain a quick reconnect.
  const slowRetry: DesktopOptions = { tuning: { backoffBaseMs: 60_000, backoffCapMs: 60_000 }, random: () => 0.99 };

  it('resume from sleep reconnects at once and sums up the missed messages in one notification', async () => {
    const d = await desktop(slowRetry);
    const caughtUp: number[] = [];
    d.client.onIncoming((ms, source) => source === 'catchup' && caughtUp.push(...ms.map((m) => m.seq)));
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    const seqs: number[] = [];
    for (let i = 0; i < 4; i++) seqs.push((await bob.send(room, `пока спала ${i}`)).message.seq);
    for (let i = 0; i < 2; i++) seqs.push((await bob.send(dm, `лично ${i}`)).message.seq);
    await new Promise((r) => setTimeout(r, 200));
    expect(d.client.getStateNow().connection).not.toBe('connected');
    d.gate.restore();
    d.power.emit('resume');
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    // hello brings the counts; the catch-up (a `sync` request) brings the messages themselves.
    await until(() => caughtUp.length === seqs.length, 'caught up', 5000);
    expect(caughtUp).toEqual(seqs);
    expect(d.log.text()).toContain('"reason":"resume"');
    d.clock.advance(15_000);
    // One summary (main/away/AwayWatch.ts): the catch-up's messages notify nothing of their own.
    expect(d.notifier.shown.map((n) => n.title)).toEqual(['Пока вас не было: 6 сообщений в 2 разговорах']);
    expect(d.tray.tooltip).toContain('подключено');
  });

  it('a change of network state reconnects at once', async () => {
    const d = await desktop(slowRetry);
    d.gate.cut();
    d.power.online = false;
    d.clock.advance(activityPollMs);
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    d.gate.restore();
    d.power.online = true;
    d.clock.advance(activityPollMs);
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    expect(d.log.text()).toContain('"reason":"network"');
  });

  it('unlock and a jumped clock (sleep nobody announced) reconnect too', async () => {
    const d = await desktop(slowRetry);
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
    d.gate.restore();
    d.clock.jump(30 * 60_000);
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected', 5000);
    expect(d.log.text()).toContain('"reason":"clock-jump"');
    d.gate.cut();
    await until(() => d.client.getStateNow().connection !== 'connected', 'offline again');
    d.gate.restore();
    d.power.emit('unlock-screen');
    await until(() => d.client.getStateNow().connection === 'connected', 'reconnected after unlock', 5000);
  });
});
