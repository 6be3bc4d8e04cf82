// The desktop app's client core (main/createDesktopClient.ts, Node's fetch and ws) names itself to
// the hub, so "my sessions" shows "Беседа (desktop) on <system>" rather than a bare Node.js.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SessionInfo } from '../../common/protocol/sessionInfo.ts';
import { createDesktopClient } from '../../main/createDesktopClient.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';
import { FileStorage } from '../client/clientHarness.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop();
});

it('a desktop sign-in shows in my sessions as the desktop app on this system', async () => {
  const u = await hub.addUser('karpov', 'Лев Карпов');
  const client = createDesktopClient({
    storage: FileStorage.temp(),
    fileStashDir: mkdtempSync(path.join(os.tmpdir(), 'beseda-stash-')),
    deployment: () => ({ hubUrl: hub.url, branch: null, hubUrlLocked: false }),
    openExternal: async () => {},
  });
  try {
    await client.start();
    expect(await client.signIn(hub.url, 'karpov', u.password)).toEqual({ ok: true });
    const other = await TestSocket.open(hub.wsUrl, (await hub.login('karpov', u.password)).token);
    const { sessions } = await other.request<{ sessions: SessionInfo[] }>('sessions.list');
    const system = process.platform === 'win32' ? 'Windows' : process.platform === 'darwin' ? 'macOS' : 'Linux';
    expect(sessions.map((s) => s.device)).toContain(`Беседа (desktop) on ${system}`);
    other.close();
  } finally {
    client.dispose();
  }
});
