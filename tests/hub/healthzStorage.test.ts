// /healthz while the hub cannot store anything: sends and sign-ins get 507 storage_full, so the
// health check must not say "ok" — it answers 503 "degraded" with the reason (what monitoring
// alerts on), and "ok" again once the storage has room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { onPostgresStore } from '../helpers/postgres.ts';

let hub: TestHub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.stop();
});

interface Health {
  status: string;
  reason?: string;
  detail?: string;
  storageFullSince?: string;
}

const healthz = async () => {
  const res = await fetch(`${hub.url}/healthz`);
  return { status: res.status, body: (await res.json()) as Health };
};

/** Signs in; every sign-in stores a session, so a full database refuses it. */
const signIn = (login: string, password: string) =>
  fetch(`${hub.url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });

// SQLite's page cap stands for the full disk; PostgreSQL's disk_full maps to the same storage_full (toHubError).
describe.skipIf(onPostgresStore)('/healthz and a full disk', () => {
  it('says degraded (503, reason storage_full) while writes fail, and ok once there is room', async () => {
    const u = await hub.addUser('sidorov', 'Пётр Сидоров');
    expect((await healthz()).status).toBe(200);

    // "Disk full": the database may not grow past its current size (the fault harness's way).
    await hub.admin_('storage.limit', { maxPages: 1 });
    let refused: { error: { code: string } } | undefined;
    for (let i = 0; i < 5000 && !refused; i++) {
      const res = await signIn(u.login, u.password);
      if (res.status === 507) refused = (await res.json()) as { error: { code: string } };
      else expect(res.status).toBe(200);
    }
    expect(refused?.error.code).toBe('storage_full');

    const full = await healthz();
    expect(full.status).toBe(503);
    expect(full.body.status).toBe('degraded');
    expect(full.body.reason).toBe('storage_full');
    expect(full.body.detail).toMatch(/storage_full/);
    expect(Date.parse(full.body.storageFullSince!)).not.toBeNaN();
    // Asking again does not clear it: nothing has changed.
    expect((await healthz()).body.status).toBe('degraded');

    // Space returns: healthy again, and sign-ins work.
    await hub.admin_('storage.limit', { maxPages: null });
    const recovered = await healthz();
    expect(recovered.status).toBe(200);
    expect(recovered.body.status).toBe('ok');
    expect(recovered.body.reason).toBeUndefined();
    expect((await signIn(u.login, u.password)).status).toBe(200);
  }, 120_000);
});
