// IT's limits for message actions: `--edit-window` (a duration; 0, the default, means no limit)
// and `--max-reactions` (default 20), read from flags, the environment and a config file, shown
// in hello.limits and `beseda-hub --help`, and enforced by a real hub.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../hub/config/loadConfig.ts';
import { hubBundle } from '../helpers/startHub.ts';
import { act, closeOffice, openOffice, type Office, refused, say } from './messageActionsHelpers.ts';

const minute = 60 * 1000;

describe('configuration', () => {
  it('reads the edit window as a duration and the reaction limit as a number', () => {
    expect(loadConfig({}, {})).toMatchObject({ editWindowMs: 0, maxReactionsPerMessage: 20 });
    expect(loadConfig({ 'edit-window': '30m', 'max-reactions': '8' }, {})).toMatchObject({
      editWindowMs: 30 * minute,
      maxReactionsPerMessage: 8,
    });
    expect(loadConfig({ 'edit-window': '7d' }, {}).editWindowMs).toBe(7 * 24 * 60 * minute);
    expect(loadConfig({ 'edit-window': '0' }, {}).editWindowMs).toBe(0);
    expect(loadConfig({}, { BESEDA_EDIT_WINDOW: '24h', BESEDA_MAX_REACTIONS: '5' })).toMatchObject({
      editWindowMs: 24 * 60 * minute,
      maxReactionsPerMessage: 5,
    });
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-config-')), 'hub.json');
    writeFileSync(file, JSON.stringify({ editWindowMs: '90s', maxReactionsPerMessage: 3 }));
    expect(loadConfig({ config: file }, {})).toMatchObject({ editWindowMs: 90_000, maxReactionsPerMessage: 3 });
    writeFileSync(file, JSON.stringify({ editWindowMs: 1500 }));
    expect(loadConfig({ config: file }, {}).editWindowMs).toBe(1500);
  });

  it('refuses what is not a duration or not a sensible limit, saying so', () => {
    expect(() => loadConfig({ 'edit-window': 'soon' }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ 'edit-window': '-5m' }, {})).toThrow(/duration/);
    expect(() => loadConfig({ 'edit-window': '5 weeks' }, {})).toThrow(/duration/);
    expect(() => loadConfig({ 'max-reactions': '0' }, {})).toThrow(ConfigError);
    expect(() => loadConfig({ 'max-reactions': 'many' }, {})).toThrow(/number/);
  });

  it('lists both flags in beseda-hub serve --help', () => {
    const help = spawnSync(process.execPath, [hubBundle, 'serve', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--edit-window/);
    expect(help.stdout).toMatch(/--max-reactions/);
  });
});

describe('a hub with a one-second edit window', () => {
  let o: Office;
  beforeAll(async () => {
    o = await openOffice(['--edit-window', '1s']);
  });
  afterAll(async () => {
    await closeOffice(o);
  });

  it('announces the limits, and refuses an edit once the window has passed but not other actions', async () => {
    expect(o.author.socket.hello.limits).toMatchObject({ editWindowMs: 1000, maxReactionsPerMessage: 20 });
    const m = await say(o.author, o.closed, 'поздняя правка');
    // Waits for the condition the test is about (the window has passed by the hub's clock), not a speed.
    while (Date.now() - m.ts <= 1500) await new Promise((resolve) => setTimeout(resolve, 100));
    await refused(act(o.author, 'message.edit', { seq: m.seq, text: 'поздно' }), 'edit_expired', /1 second/);
    expect(await act(o.member, 'message.react', { seq: m.seq, emoji: '👍', on: true })).toMatchObject({
      reactions: [{ emoji: '👍' }],
    });
    expect(await act(o.author, 'message.delete', { seq: m.seq })).toMatchObject({ deleted: { by: o.author.id } });
  });

  it('answers a retried edit whose acknowledgement was lost, even after the window has passed', async () => {
    const m = await say(o.author, o.closed, 'опечатка');
    const edit = { clientId: 'retry-edit-after-window', seq: m.seq, text: 'без опечатки' };
    const first = await act(o.author, 'message.edit', edit);
    expect(first.text).toBe('без опечатки');
    while (Date.now() - m.ts <= 1500) await new Promise((resolve) => setTimeout(resolve, 100));
    // The retry is the same change, not a new one: no edit_expired, no new update.
    const again = await act(o.author, 'message.edit', edit);
    expect(again).toMatchObject({ seq: m.seq, text: 'без опечатки', rev: first.rev });
    // A new edit is refused as before.
    await refused(act(o.author, 'message.edit', { seq: m.seq, text: 'ещё раз' }), 'edit_expired');
  });
});
