// `beseda-hub migrate-store` (issue 20): a SQLite data folder filled through the hub's real
// operations is copied into a real PostgreSQL 15 (one transaction, checked table by table), and a
// hub then opened on PostgreSQL shows the same history, keeps the same sessions and continues the
// seq past every copied one. A row altered in the target makes the check fail; a row altered while
// copying makes the whole copy roll back; a target with data and a data folder in use are refused.
import Sqlite from 'better-sqlite3';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFailure, main } from '../../hub/cli/main.ts';
import type { Actor, Hub } from '../../hub/ops/Hub.ts';
import { compareWithSqlite, copyFromSqlite } from '../../hub/store/postgres/copyFromSqlite.ts';
import { openSqliteExport } from '../../hub/store/sqlite/exportTables.ts';
import { startReceiver } from '../callbacks/receiver.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { hubBundle } from '../helpers/startHub.ts';
import { cid, openTestHub } from '../hub-core/harness.ts';
import { type Seeded, seedHub } from './migrateStoreSeed.ts';

let pgs: TestPostgres;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dir: string;
let filesDir: string;
let seeded: Seeded;
/** What the hub on SQLite answered, to compare with the hub on PostgreSQL. */
let before: Awaited<ReturnType<typeof observe>>;
/** Table → rows, read straight from the SQLite file (not through the code under test). */
let sqliteCounts: Map<string, number>;
let highestSeq: number;
let target: string;
const callbacks = { allow: ['127.0.0.1'], timeoutMs: 10_000 };

/** Runs `beseda-hub ARGS…` in this process: exit code, stdout, stderr. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [write, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    // As bin/beseda-hub does: a thrown error is one line on stderr and exit 1.
    const code = await main(args).catch((e: unknown) => (err.push(describeFailure(e)), 1));
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

/** The report's table lines. */
function reportLines(out: string): Map<string, { sqlite: number; pg: number; a: string; b: string; ok: boolean }> {
  const lines = new Map<string, { sqlite: number; pg: number; a: string; b: string; ok: boolean }>();
  for (const m of out.matchAll(/^(\w+) +(\d+) +(\d+) +([0-9a-f]{16}) +([0-9a-f]{16}) +(ok|DIFFERENT)$/gm))
    lines.set(m[1]!, { sqlite: Number(m[2]), pg: Number(m[3]), a: m[4]!, b: m[5]!, ok: m[6] === 'ok' });
  return lines;
}

async function pgQuery<R extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/** What people see, through the hub's operations: compared before and after the move. */
async function observe(hub: Hub, s: Seeded) {
  const views: Record<string, unknown> = {};
  for (const who of [s.anna, s.boris] as Actor[]) {
    const conversations = await hub.listConversations(who);
    views[`conversations ${who.userId}`] = conversations;
    for (const c of conversations)
      views[`history ${who.userId} ${c.id}`] = await hub.history(who, { conversationId: c.id, limit: 200 });
    views[`search ${who.userId}`] = await hub.search(who, { query: 'накладная', limit: 50 });
  }
  views.pins = await hub.pins(s.anna, { conversationId: s.room });
  // Anna is connected when the seeded hub stops: the stop itself writes her last seen (its time).
  views.accounts = (await hub.listAccounts()).map((a) => (a.id === s.anna.userId ? { ...a, lastSeen: 'the stop' } : a));
  views.bots = await hub.listBots();
  views.hooks = await hub.listHooks();
  views.commands = await hub.commands.list();
  views.releases = await hub.releases.list();
  views.sessions = await hub.selfService.listSessions(s.anna);
  views.audit = await hub.audit.list({ limit: 1000 });
  return views;
}

beforeAll(async () => {
  pgs = await startPostgres();
  receiver = await startReceiver();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-migrate-'));
  filesDir = path.join(dir, 'files');
  const t = await openTestHub({ files: { dir: filesDir }, callbacks }, path.join(dir, 'beseda.db'));
  seeded = await seedHub(t, receiver.url);
  before = await observe(t.hub, seeded);
  await t.hub.close();
  const db = new Sqlite(path.join(dir, 'beseda.db'), { readonly: true });
  const names = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'message_search%'`,
    )
    .pluck()
    .all() as string[];
  sqliteCounts = new Map(
    names.map((n) => [n, (db.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number) ?? 0]),
  );
  highestSeq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'messages'`).pluck().get() as number;
  db.close();
  target = await pgs.createDatabase();
}, 180_000);

afterAll(async () => {
  await receiver?.close();
  await pgs?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrate-store', () => {
  it('the seed reaches every table SQLite has', () => {
    const empty = [...sqliteCounts].filter(([, n]) => n === 0).map(([name]) => name);
    expect(empty).toEqual([]);
    // 23 tables after step 20 (SQLite's own and the FTS5 index's are not data tables).
    expect(sqliteCounts.size).toBe(23);
  });

  it('copies every table, the report equal on both sides, the counters past the copied ids', async () => {
    const r = await cli(['migrate-store', '--from', dir, '--to', target]);
    expect(r.code, r.out + r.err).toBe(0);
    const lines = reportLines(r.out);
    for (const [table, n] of sqliteCounts) {
      expect(lines.get(table), table).toMatchObject({ sqlite: n, pg: n, ok: true });
      expect(lines.get(table)!.a).toBe(lines.get(table)!.b);
      const [counted] = await pgQuery<{ count: string }>(target, `SELECT count(*) FROM "${table}"`);
      expect(Number(counted!.count), table).toBe(n);
    }
    // The search index, rebuilt: one row per indexed message.
    expect(lines.get('message_search')!.pg).toBeGreaterThan(3);
    expect(lines.size).toBe(sqliteCounts.size + 1);
    expect(r.out).toMatch(/^Migrated: all 24 tables equal, committed to /m);
    expect(r.out).toContain(`they stay in ${filesDir}`);
    const [position] = await pgQuery<{ seq: string }>(target, 'SELECT seq FROM stream_position');
    expect(Number(position!.seq)).toBe(highestSeq);
    expect(r.out).toContain(`Seq counter: ${highestSeq} (highest seq in SQLite: ${highestSeq})`);
  });

  it('--check right after: equal, exit 0; a second copy into the same database is refused', async () => {
    const check = await cli(['migrate-store', '--from', dir, '--to', target, '--check']);
    expect(check.code, check.out + check.err).toBe(0);
    expect(check.out).toMatch(/^Equal: all 24 tables/m);
    const again = await cli(['migrate-store', '--from', dir, '--to', target]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/refused: the target database already holds data \(in [^)]*users/);
  });

  it('the real beseda-hub process (the bundle) checks the copy too, the password never printed', () => {
    const withPassword = target.replace('postgres://beseda@', 'postgres://beseda:s3cret-pw@');
    const r = spawnSync(
      process.execPath,
      [hubBundle, 'migrate-store', '--from', dir, '--to', withPassword, '--check'],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Equal: all 24 tables/m);
    expect(r.stderr).toContain('to: postgres://beseda:***@');
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
  });

  it('a hub on the PostgreSQL store shows the same, keeps sessions, and continues past every copied id', async () => {
    const t = await openTestHub({ storeUrl: target, files: { dir: filesDir }, callbacks });
    const { hub } = t;
    expect(await observe(hub, seeded)).toEqual(before);
    // Signed in before the move, still signed in; the password still works.
    expect((await hub.authenticate(seeded.annaToken))?.userId).toBe(seeded.anna.userId);
    await hub.login('anna', seeded.annaPassword, '10.0.0.6');
    expect((await hub.authenticateIntegration(seeded.botToken))?.isBot).toBe(true);
    // A new message and a new update take seqs past the highest copied one, in order.
    const sent = await hub.send(seeded.anna, {
      conversationId: seeded.room,
      clientId: cid('after-1'),
      text: 'после переезда',
    });
    expect(sent.seq).toBe(highestSeq + 1);
    await hub.editMessage(seeded.anna, { clientId: cid('after-2'), seq: sent.seq, text: 'после переезда!' });
    const synced = await hub.sync(seeded.boris, { since: highestSeq, limit: 100 });
    expect(synced.messages.map((m) => m.seq)).toEqual([sent.seq]);
    // New rows get new ids (identity sequences were moved past the copied ones).
    const room = await hub.createRoom(seeded.anna, { name: 'Новая комната', kind: 'open' });
    expect(room.id).toBeGreaterThan(Math.max(seeded.room, seeded.direct));
    const { user } = await hub.createUser({ login: 'gleb', name: 'Глеб', password: 'pw-gleb-secret' });
    expect(user.id).toBeGreaterThan(Math.max(...(before.accounts as { id: number }[]).map((a) => a.id)));
    await hub.postToHook(seeded.hookSecret, { text: 'hook after the move' });
    // Search finds copied words (the index was rebuilt) and the files' bytes are where they were.
    const hits = await hub.search(seeded.anna, { query: 'zebra-unique-word', limit: 5 });
    expect(hits.hits).toHaveLength(1);
    const withFile = (
      before[`history ${seeded.anna.userId} ${seeded.room}`] as { messages: { files?: { id: string }[] }[] }
    ).messages.find((m) => m.files && m.files.length > 0)!;
    const opened = await hub.files.open(seeded.anna, withFile.files![0]!.id, 'download');
    expect(fs.readFileSync(opened.path, 'utf8')).toBe('накладная: 10 коробок\n');
    await hub.close();
  });

  it('a row changed in PostgreSQL afterwards makes --check fail (exit 1) and names the table', async () => {
    const url = await pgs.createDatabase();
    expect((await cli(['migrate-store', '--from', dir, '--to', url])).code).toBe(0);
    await pgQuery(
      url,
      `UPDATE messages SET text = text || '.' WHERE seq = (SELECT min(seq) FROM messages WHERE kind = 'text')`,
    );
    const check = await cli(['migrate-store', '--from', dir, '--to', url, '--check']);
    expect(check.code).toBe(1);
    const lines = reportLines(check.out);
    expect([...lines].filter(([, l]) => !l.ok).map(([t]) => t)).toEqual(['messages']);
    expect(lines.get('messages')!.a).not.toBe(lines.get('messages')!.b);
    expect(check.out).toMatch(/^DIFFERENT: messages\.$/m);
    // A bytea value too: a session's token hash.
    await pgQuery(
      url,
      `UPDATE sessions SET token_hash = token_hash || '\\x00'::bytea WHERE id = (SELECT min(id) FROM sessions)`,
    );
    expect(
      reportLines((await cli(['migrate-store', '--from', dir, '--to', url, '--check'])).out).get('sessions')!.ok,
    ).toBe(false);
  });

  it('a row altered while copying: the check before COMMIT fails and nothing is kept', async () => {
    const url = await pgs.createDatabase();
    // The schema first (as the copy would make it), then a trigger that changes one reaction as it arrives.
    expect((await cli(['migrate-store', '--from', dir, '--to', url, '--check'])).code).toBe(1);
    const t = await openTestHub({ storeUrl: url });
    await t.hub.close();
    await pgQuery(
      url,
      `CREATE FUNCTION spoil() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.emoji := NEW.emoji || '!'; RETURN NEW; END $$`,
    );
    await pgQuery(url, `CREATE TRIGGER spoil BEFORE INSERT ON message_reactions FOR EACH ROW EXECUTE FUNCTION spoil()`);
    const r = await cli(['migrate-store', '--from', dir, '--to', url]);
    expect(r.code).toBe(1);
    expect(reportLines(r.out).get('message_reactions')!.ok).toBe(false);
    expect(r.out).toMatch(/^NOT MIGRATED: message_reactions differ after the copy\. The transaction was rolled back/m);
    for (const table of ['users', 'messages', 'message_reactions', 'sessions'])
      expect(await pgQuery(url, `SELECT 1 FROM ${table}`), table).toEqual([]);
  });

  it('refuses while a hub (or another command) holds the data folder, before touching PostgreSQL', async () => {
    const url = await pgs.createDatabase();
    let holder: ChildProcess | undefined;
    try {
      holder = spawn('sleep', ['60'], { stdio: 'ignore' });
      fs.writeFileSync(path.join(dir, 'hub.lock'), String(holder.pid));
      const r = await cli(['migrate-store', '--from', dir, '--to', url]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`\\(pid ${holder.pid}\\) is using ${dir}: stop it first`));
      // Not even the schema was made.
      expect(await pgQuery(url, `SELECT 1 FROM pg_tables WHERE tablename = 'users'`)).toEqual([]);
    } finally {
      holder?.kill();
      fs.rmSync(path.join(dir, 'hub.lock'), { force: true });
    }
  });

  it('in batches of 2 rows (many INSERTs and FETCHes per table) the copy and its check come out the same', async () => {
    const url = await pgs.createDatabase();
    const source = openSqliteExport(path.join(dir, 'beseda.db'));
    try {
      const copied = await copyFromSqlite(url, source, { batchRows: 2 });
      expect(copied.ok && copied.committed).toBe(true);
      const checked = await compareWithSqlite(url, source, { batchRows: 2 });
      expect(checked.ok).toBe(true);
      expect(checked.tables.map((t) => [t.table, t.targetRows, t.targetSha256])).toEqual(
        copied.tables.map((t) => [t.table, t.sourceRows, t.sourceSha256]),
      );
      // The digests do not depend on the batch size: the same as the first copy's report.
      const first = await cli(['migrate-store', '--from', dir, '--to', target, '--check']);
      for (const t of copied.tables.filter((t) => t.table !== 'message_search'))
        expect(reportLines(first.out).get(t.table)?.a, t.table).toBe(t.sourceSha256.slice(0, 16));
    } finally {
      source.close();
    }
  });

  it('a text PostgreSQL cannot hold (U+0000) is refused naming the row, and nothing is kept', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-migrate-nul-'));
    try {
      const t = await openTestHub({}, path.join(other, 'beseda.db'));
      const anna = await t.user('anna');
      const m = await t.hub.send(anna, { conversationId: 1, clientId: cid('nul-1'), text: 'a\u0000b' });
      await t.hub.close();
      const url = await pgs.createDatabase();
      const r = await cli(['migrate-store', '--from', other, '--to', url]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`refused: messages (seq ${m.seq}): text holds a NUL character (U+0000)`);
      expect(await pgQuery(url, 'SELECT 1 FROM users')).toEqual([]);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses what is not a PostgreSQL address, and a folder without a database', async () => {
    const bad = await cli(['migrate-store', '--from', dir, '--to', 'mysql://x@y/z']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--to must be a PostgreSQL address/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'beseda-migrate-empty-'));
    try {
      const none = await cli(['migrate-store', '--from', empty, '--to', await pgs.createDatabase()]);
      expect(none.code).toBe(1);
      expect(none.err).toMatch(/refused: there is no Beseda database at/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
