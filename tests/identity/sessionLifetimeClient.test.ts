import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../common/client/ChatClient.ts';
import type { ClientState } from '../../common/client/ClientState.ts';
import type { Timers } from '../../common/client/Timers.ts';
import { tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import { FileStorage, generalId, nodeFetch, nodeSocket } from '../client/clientHarness.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { TestSocket } from '../helpers/TestSocket.ts';

const day = 24 * 3600_000;

/**
 * Timers whose long waits (the renewal's days) are held until the test lets them run, with a
 * clock the test moves; short ones (back-off, requests) run for real.
 */
class HeldTimers implements Timers {
  private held = new Map<number, () => void>();
  private next = 1;
  offset = 0;
  now = () => Date.now() + this.offset;

  setTimeout(handler: () => void, ms: number): unknown {
    if (ms < 60_000) return setTimeout(handler, ms);
    const id = this.next++;
    this.held.set(id, handler);
    return { held: id };
  }

  clearTimeout(handle: unknown): void {
    if (handle && typeof handle === 'object' && 'held' in handle) this.held.delete(handle.held as number);
    else clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /** Moves the clock on and runs every held timer (each re-arms itself if its time has not come). */
  advance(ms: number): void {
    this.offset += ms;
    const due = [...this.held.values()];
    this.held.clear();
    for (const handler of due) handler();
  }
}

let hub: TestHub;
const clients: ChatClient[] = [];
beforeAll(async () => {
  hub = await startHub();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});
afterAll(async () => {
  await hub?.stop();
});

/** A client core as the desktop app and the web page run it, on the given storage and timers. */
async function client(storage: FileStorage, timers: HeldTimers) {
  const tokensUsed: string[] = [];
  const c = new ChatClient({
    createSocket: (url, protocols) => {
      const token = protocols.find((p) => p.startsWith(tokenSubprotocolPrefix));
      if (token) tokensUsed.push(token.slice(tokenSubprotocolPrefix.length));
      return nodeSocket(url, protocols);
    },
    fetch: nodeFetch,
    storage,
    host: {
      openExternal: async () => {},
      deployment: async () => ({ hubUrl: null, branch: null, hubUrlLocked: false }),
    },
    timers,
    now: timers.now,
    tuning: { backoffBaseMs: 50, backoffCapMs: 300 },
  });
  clients.push(c);
  await c.start();
  const until = (check: (s: ClientState) => boolean, what: string) =>
    new Promise<ClientState>((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out waiting for ${what}; connection=${c.getStateNow().connection}`));
      }, 20_000);
      const test = () => {
        if (!check(c.getStateNow())) return;
        clearTimeout(timer);
        stop();
        resolve(c.getStateNow());
      };
      const stop = c.subscribe(test);
      test();
    });
  return { c, tokensUsed, until };
}

const savedToken = (storage: FileStorage) =>
  (JSON.parse(storage.readNow()['beseda.session'] ?? 'null') as { token: string | null } | null)?.token ?? null;

async function meStatus(token: string): Promise<number> {
  const res = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  await res.text();
  return res.status;
}

describe('silent session renewal (client core against the real hub)', () => {
  it('hello says when the session ends (the idle limit, 30 days by default) and when to renew it', async () => {
    const u = await hub.addUser('galina');
    const { token } = await hub.login('galina', u.password);
    const before = Date.now();
    const socket = await TestSocket.open(hub.wsUrl, token);
    const expiresAt = socket.hello.session?.expiresAt ?? 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * day - 60_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * day);
    const renewAfter = socket.hello.session?.renewAfter ?? 0;
    expect(renewAfter).toBeGreaterThanOrEqual(before + 7.5 * day - 60_000);
    expect(renewAfter).toBeLessThanOrEqual(Date.now() + 7.5 * day);
    socket.close();
  });

  it('renews once renewAfter has passed: a new token is saved and used, the old one is revoked, the session goes on', async () => {
    const u = await hub.addUser('dmitry');
    const storage = FileStorage.temp();
    const timers = new HeldTimers();
    const { c, tokensUsed, until } = await client(storage, timers);
    expect((await c.signIn(hub.url, 'dmitry', u.password)).ok).toBe(true);
    await until((s) => s.connection === 'connected', 'connected');
    const first = savedToken(storage)!;
    expect(tokensUsed).toEqual([first]);

    timers.advance(5 * day); // before renewAfter (7.5 days): nothing happens
    expect(savedToken(storage)).toBe(first);
    timers.advance(3 * day);
    await until(() => savedToken(storage) !== first, 'a renewed token saved');
    const second = savedToken(storage)!;
    await until((s) => s.connection === 'connected' && tokensUsed.at(-1) === second, 'reconnected with it');
    expect(await meStatus(first)).toBe(401);
    expect(await meStatus(second)).toBe(200);

    // Still signed in and working: a message goes through on the renewed session.
    const s = c.getStateNow();
    await c.send(generalId(s), 'после продления');
    await until(
      (st) => st.messages[generalId(st)]?.items.some((m) => m.text === 'после продления' && m.seq > 0) ?? false,
      'the message acknowledged',
    );
  });

  it('plans by the hub’s clock: a client whose clock is 10 days ahead neither renews at once nor in a loop', async () => {
    const u = await hub.addUser('fedor');
    const storage = FileStorage.temp();
    const timers = new HeldTimers();
    timers.offset = 10 * day;
    const { c, until } = await client(storage, timers);
    expect((await c.signIn(hub.url, 'fedor', u.password)).ok).toBe(true);
    await until((s) => s.connection === 'connected', 'connected');
    const first = savedToken(storage)!;
    timers.advance(5 * day);
    expect(savedToken(storage)).toBe(first);
    timers.advance(3 * day);
    await until(() => savedToken(storage) !== first, 'renewed once renewAfter passed by the hub’s clock');
    const second = savedToken(storage)!;
    await until((s) => s.connection === 'connected', 'reconnected');
    // The renewed session's hello plans the next renewal a week on: nothing more now.
    timers.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(savedToken(storage)).toBe(second);
  });

  it('a second window of the same browser takes the renewed token instead of signing out', async () => {
    const u = await hub.addUser('elena');
    const storage = FileStorage.temp();
    const timersA = new HeldTimers();
    const a = await client(storage, timersA);
    expect((await a.c.signIn(hub.url, 'elena', u.password)).ok).toBe(true);
    await a.until((s) => s.connection === 'connected', 'A connected');
    const first = savedToken(storage)!;
    const timersB = new HeldTimers();
    const b = await client(storage, timersB); // restores the same saved session, as a second tab does
    await b.until((s) => s.connection === 'connected', 'B connected');
    expect(b.tokensUsed).toEqual([first]);

    timersA.advance(16 * day);
    await a.until(() => savedToken(storage) !== first, 'A renewed');
    const renewed = savedToken(storage)!;
    // B's own renewal comes to the hub with the revoked session: B takes A's token from storage.
    timersB.advance(16 * day);
    await b.until((s) => s.connection === 'connected' && b.tokensUsed.at(-1) === renewed, 'B on the renewed token');
    expect(b.c.getStateNow().me?.login).toBe('elena');
    expect(savedToken(storage)).toBe(renewed);
  });
});
