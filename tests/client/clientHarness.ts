import { mkdtempSync, readFileSync } from 'node:fs';
import { rename, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import WebSocket from 'ws';
import {
  ChatClient,
  type ChatClientOptions,
  type KeyValueStorage,
  type WebSocketLike,
} from '../../common/client/ChatClient.ts';
import type { ClientState, StatePatch } from '../../common/client/ClientState.ts';
import type { FileStash } from '../../common/client/FileStash.ts';
import type { FileUploader } from '../../common/client/FileUploader.ts';
import type { Message } from '../../common/protocol/model.ts';
import { NodeFileUploader } from '../../main/files/NodeFileUploader.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';

/**
 * Storage in a JSON file, written atomically (temp file + rename) like the desktop app's, so a
 * "restart" with a new client on the same file sees exactly what was durable.
 */
export class FileStorage implements KeyValueStorage {
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  /** A storage in a fresh temp folder. */
  static temp(): FileStorage {
    return new FileStorage(path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-client-')), 'store.json'));
  }

  /** The saved values as they are on disk now (synchronously, for assertions). */
  readNow(): Record<string, string> {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  async get(key: string): Promise<string | null> {
    await this.chain;
    return (await this.read())[key] ?? null;
  }

  set(key: string, value: string): Promise<void> {
    return this.change((all) => {
      all[key] = value;
    });
  }

  delete(key: string): Promise<void> {
    return this.change((all) => {
      delete all[key];
    });
  }

  private change(apply: (all: Record<string, string>) => void): Promise<void> {
    this.chain = this.chain.then(async () => {
      const all = await this.read();
      apply(all);
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, JSON.stringify(all));
      await rename(tmp, this.file);
    });
    return this.chain;
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }
}

/** The clients a test file makes, disposed after each test (their timers and sockets would outlive it). */
export class ClientTracker {
  private clients: TestClient[] = [];

  /** Remembers a client for {@link disposeAll}; returns it. */
  readonly track = <T extends TestClient>(c: T): T => {
    this.clients.push(c);
    return c;
  };

  /** Disposes every client tracked so far and forgets them. */
  disposeAll(): void {
    for (const c of this.clients) c.dispose();
    this.clients = [];
  }
}

/** Rate limits high enough that a test's bursts of requests are never throttled. */
export const generousLimits = [
  '--send-per-second',
  '1000',
  '--send-burst',
  '1000',
  '--frames-per-second',
  '5000',
  '--frames-burst',
  '5000',
];

/** Client tuning that reconnects quickly (tests wait for reconnects). */
export const fastTuning = { backoffBaseMs: 50, backoffCapMs: 300 };

/**
 * One hub for a test file and the clients its tests make: registers the vitest hooks that start
 * the hub (with {@link generousLimits}) before all tests, dispose the tracked clients after each
 * (then run `options.afterEach`, e.g. to restart a killed hub), and stop the hub after all.
 * `hub` stands in for the hub started in beforeAll (it forwards to it), so it can be taken
 * apart at the top of the file.
 */
export function useClientHub(options: { afterEach?: (hub: TestHub) => Promise<void> } = {}): {
  hub: TestHub;
  track: ClientTracker['track'];
  fast: typeof fastTuning;
} {
  let started: TestHub | undefined;
  const clients = new ClientTracker();
  beforeAll(async () => {
    started = await startHub({ args: generousLimits });
  });
  afterEach(async () => {
    clients.disposeAll();
    if (started) await options.afterEach?.(started);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const hub = new Proxy({} as TestHub, {
    get(_, key) {
      if (!started) throw new Error('the hub is not started yet (use it inside a test or hook)');
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(started) : value;
    },
  });
  return { hub, track: clients.track, fast: fastTuning };
}

/** A Node WebSocket (the `ws` package) as the client core sees it. */
export function nodeSocket(url: string, protocols: string[]): WebSocketLike {
  return new WebSocket(url, protocols) as unknown as WebSocketLike;
}

/**
 * A Node WebSocket that loses the line at a chosen frame, as a network failure would: when
 * `cutsAt` says yes to a frame from the hub, the socket is terminated, that frame and any read
 * with it are dropped, and `afterCut` runs (e.g. to kill the hub).
 */
export function cuttingSocket(
  cutsAt: (frame: string) => boolean,
  afterCut?: () => void,
): (url: string, protocols: string[]) => WebSocketLike {
  return (url, protocols) => cuttableSocket(new WebSocket(url, protocols), { cutsAt, afterCut });
}

/**
 * `ws` as the client core sees it, with the line cut at the first frame from the hub that
 * `hooks.cutsAt` says yes to (that frame and any read with it dropped, then `hooks.afterCut`);
 * `hooks.onSend` sees every frame the client sends.
 */
export function cuttableSocket(
  ws: WebSocket,
  hooks: { cutsAt: (frame: string) => boolean; afterCut?: () => void; onSend?: (data: string) => void },
): WebSocketLike {
  // Frames already read from the same TCP chunk would still be delivered after terminate().
  let dead = false;
  return {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => {
      hooks.onSend?.(data);
      ws.send(data);
    },
    close: (code, reason) => ws.close(code, reason),
    set onopen(h: WebSocketLike['onopen']) {
      ws.onopen = h;
    },
    get onopen() {
      return null;
    },
    set onclose(h: WebSocketLike['onclose']) {
      ws.onclose = h as WebSocket['onclose'];
    },
    get onclose() {
      return null;
    },
    set onerror(h: WebSocketLike['onerror']) {
      ws.onerror = h;
    },
    get onerror() {
      return null;
    },
    set onmessage(h: WebSocketLike['onmessage']) {
      ws.onmessage = (ev) => {
        if (dead) return;
        if (hooks.cutsAt(String(ev.data))) {
          dead = true;
          ws.terminate();
          hooks.afterCut?.();
          return;
        }
        h?.(ev);
      };
    },
    get onmessage() {
      return null;
    },
  };
}

/** Node's fetch in the shape the client core takes. */
export const nodeFetch: ChatClientOptions['fetch'] = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, json: () => res.json() };
};

/** A ChatClient wired to real sockets, fetch and a file, recording its patches and incoming messages. */
export interface TestClient {
  client: ChatClient;
  storage: FileStorage;
  patches: StatePatch[];
  incoming: { messages: Message[]; source: 'live' | 'catchup' }[];
  opened: string[];
  state(): ClientState;
  /** Waits until `check(state)` holds (re-checked after every patch). */
  until(check: (s: ClientState) => boolean, what: string, timeoutMs?: number): Promise<ClientState>;
  dispose(): void;
}

/** Creates (and starts) a client on `storage` (a fresh file by default). */
export async function testClient(
  options: {
    storage?: FileStorage;
    tuning?: ChatClientOptions['tuning'];
    random?: () => number;
    createSocket?: ChatClientOptions['createSocket'];
    /** Where attached files wait (default: memory). */
    fileStash?: FileStash;
    /** How files are uploaded (default: node:http, as the desktop app does). */
    uploader?: FileUploader;
  } = {},
): Promise<TestClient> {
  const storage = options.storage ?? FileStorage.temp();
  const opened: string[] = [];
  const client = new ChatClient({
    createSocket: options.createSocket ?? nodeSocket,
    fetch: nodeFetch,
    storage,
    fileStash: options.fileStash,
    uploader: options.uploader ?? new NodeFileUploader(),
    host: {
      openExternal: async (url) => {
        opened.push(url);
      },
      deployment: async () => ({ hubUrl: null, branch: null, hubUrlLocked: false }),
    },
    random: options.random,
    tuning: options.tuning,
  });
  const patches: StatePatch[] = [];
  const incoming: TestClient['incoming'] = [];
  const waiters = new Set<() => void>();
  client.subscribe((patch) => {
    patches.push(patch);
    for (const w of [...waiters]) w();
  });
  client.onIncoming((messages, source) => incoming.push({ messages, source }));
  await client.start();
  const state = () => client.getStateNow();
  return {
    client,
    storage,
    patches,
    incoming,
    opened,
    state,
    until(check, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const test = () => {
          const s = state();
          if (check(s)) {
            waiters.delete(test);
            clearTimeout(timer);
            resolve(s);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(test);
          reject(new Error(`timed out waiting for ${what}; state: ${describe(state())}`));
        }, timeoutMs);
        waiters.add(test);
        test();
      });
    },
    dispose() {
      client.dispose();
    },
  };
}

function describe(s: ClientState): string {
  const windows = Object.entries(s.messages).map(
    ([id, w]) => `${id}:[${w.items.map((m) => `${m.seq || m.status}`).join(',')}]`,
  );
  return `connection=${s.connection} error=${s.connectionError} windows=${windows.join(' ')}`;
}

/** Texts of a conversation's window in order, with their status. */
export function texts(s: ClientState, conversationId: number): string[] {
  return (s.messages[conversationId]?.items ?? []).filter((m) => m.kind === 'text').map((m) => m.text);
}

/** The id of the general room in a state. */
export function generalId(s: ClientState): number {
  const general = Object.values(s.conversations).find((c) => c.kind === 'general');
  if (!general) throw new Error('no general room in the state');
  return general.id;
}

/** Creates a user on the hub (unless `password` is given), signs a new client in, and waits until connected. */
export async function signedIn(
  hub: { url: string; addUser(login: string, name?: string): Promise<{ id: number; password: string }> },
  login: string,
  options: Parameters<typeof testClient>[0] & { password?: string } = {},
): Promise<TestClient & { id: number; password: string }> {
  const account = options.password
    ? { id: 0, password: options.password }
    : await hub.addUser(login, login[0]!.toUpperCase() + login.slice(1));
  const c = await testClient(options);
  const result = await c.client.signIn(hub.url, login, account.password);
  if (!result.ok) throw new Error(`sign-in of ${login} failed: ${result.error.code}`);
  const s = await c.until((s) => s.connection === 'connected', `${login} connected`);
  return Object.assign(c, { id: s.me!.id, password: account.password });
}

/** The saved outbox entries in a storage file. */
export function savedOutbox(storage: FileStorage): { clientId: string; text: string; status: string }[] {
  const raw = storage.readNow()['beseda.outbox'];
  return raw ? (JSON.parse(raw) as { entries: { clientId: string; text: string; status: string }[] }).entries : [];
}
