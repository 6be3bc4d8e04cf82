import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { createHub } from '../../hub/ops/createHub.ts';
import type { HubOptions } from '../../hub/ops/createHub.ts';
import type { Actor, Hub } from '../../hub/ops/Hub.ts';
import type { EventSink, HubEvent } from '../../hub/ops/HubEvent.ts';
import type { SqliteHub } from '../../hub/ops/SqliteHub.ts';
import { pgDatabaseOf } from '../../hub/store/postgres/openPostgresStore.ts';
import { sqliteDatabaseOf } from '../../hub/store/sqlite/openSqliteStore.ts';
import { databaseOfThisFile, onPostgresStore } from '../helpers/postgres.ts';

/**
 * `BESEDA_TEST_STORE=postgres`: the same tests on the PostgreSQL store (one test cluster per test
 * file, a new database per hub), as `.ci/run` runs them a second time.
 */
export const onPostgres = onPostgresStore;
/** A new database on this file's test cluster (started on first use, stopped after the file). */
export const newPostgresDatabase = databaseOfThisFile;

/** An EventSink that records everything, with helpers to look at what a user would receive. */
export class RecordingSink implements EventSink {
  events: HubEvent[] = [];
  disconnects: { target: { userId: number } | { sessionId: number }; code: number; reason: string }[] = [];

  publish(event: HubEvent): void {
    this.events.push(event);
  }

  disconnect(target: { userId: number } | { sessionId: number }, code: number, reason: string): void {
    this.disconnects.push({ target, code, reason });
  }

  clear(): void {
    this.events = [];
    this.disconnects = [];
  }

  /** Frames of a type that reach a user (by audience). */
  framesFor<T extends ServerFrame['type']>(userId: number, type: T): Extract<ServerFrame, { type: T }>[] {
    return this.events
      .filter((e) => e.frame.type === type && reaches(e, userId))
      .map((e) => e.frame as Extract<ServerFrame, { type: T }>);
  }

  /** Every event of a type. */
  ofType<T extends ServerFrame['type']>(type: T): (HubEvent & { frame: Extract<ServerFrame, { type: T }> })[] {
    return this.events.filter((e) => e.frame.type === type) as (HubEvent & {
      frame: Extract<ServerFrame, { type: T }>;
    })[];
  }
}

/** Whether an event's audience includes a user. */
export function reaches(event: HubEvent, userId: number): boolean {
  // 'watchers' (presence) is decided by who looked the user up, on the delivery side: counted as reaching anyone.
  return event.audience.to !== 'users' || event.audience.userIds.includes(userId);
}

/** A silent logger that keeps what was logged (to check that no secrets are logged). */
export function recordingLog() {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const dirs: string[] = [];
const hubs: Hub[] = [];

afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close().catch(() => {});
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-hub-core-'));
  dirs.push(dir);
  return dir;
}

/** A fake clock the test moves by hand. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}

/** Everything a hub test needs. */
export interface TestHub {
  hub: Hub;
  sink: RecordingSink;
  log: ReturnType<typeof recordingLog>;
  dbFile: string;
  /** Creates a person (or bot) and signs them in; returns their actor. */
  user(login: string, extra?: { name?: string; isAdmin?: boolean; isBot?: boolean }): Promise<Actor>;
  /** Closes the hub and opens a new one on the same file. */
  reopen(more?: Partial<HubOptions>): Promise<TestHub>;
}

/**
 * Opens a hub on a fresh SQLite file in a temp folder (or, with BESEDA_TEST_STORE=postgres, a fresh
 * PostgreSQL database; `reopen` keeps it).
 */
export async function openTestHub(more: Partial<HubOptions> = {}, dbFile?: string): Promise<TestHub> {
  const file = dbFile ?? path.join(tempDir(), 'hub.db');
  if (onPostgres && more.storeUrl === undefined) more = { ...more, storeUrl: await newPostgresDatabase() };
  const sink = new RecordingSink();
  const log = recordingLog();
  const hub = await createHub({
    dbFile: file,
    events: sink,
    log,
    scryptN: 2 ** 10,
    sendRate: { perSecond: 1000, burst: 10_000 },
    ...more,
  });
  hubs.push(hub);
  const t: TestHub = {
    hub,
    sink,
    log,
    dbFile: file,
    async user(login, extra = {}) {
      const password = `pw-${login}-secret`;
      await hub.createUser({ login, name: extra.name ?? login.toUpperCase(), password, ...extra });
      return (await hub.login(login, password, '127.0.0.1')).actor;
    },
    async reopen(again = {}) {
      await hub.close();
      return openTestHub({ ...more, ...again }, file);
    },
  };
  return t;
}

/** A valid client id. */
export function cid(n: number | string): string {
  return `client-${n}`.padEnd(8, '0');
}

/** The hub's open database (tests look at what was stored, or simulate a full disk). */
export function dbOf(hub: Hub): Database {
  return sqliteDatabaseOf((hub as SqliteHub).store);
}

/**
 * Runs SQL on the hub's own database, SQLite or PostgreSQL (BESEDA_TEST_STORE), and returns its
 * rows (none for an UPDATE): for tests that look at what was stored, or set up what the hub has no
 * operation for. Write `?` placeholders (turned into `$1, $2…` for PostgreSQL) and SQL both
 * understand; int8 comes back as a number on both.
 */
export async function storedRows<R = Record<string, unknown>>(
  hub: Hub,
  sql: string,
  ...params: unknown[]
): Promise<R[]> {
  if (onPostgres) {
    let n = 0;
    return pgDatabaseOf((hub as SqliteHub).store).all<R>(
      sql.replace(/\?/g, () => `$${++n}`),
      params,
    );
  }
  const statement = dbOf(hub).prepare<unknown[], R>(sql);
  if (statement.reader) return statement.all(...params);
  statement.run(...params);
  return [];
}
