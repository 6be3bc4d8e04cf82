// Scheduled backups (issue 15, point 3) on a real hub core and real SQLite files, with a clock the
// test moves: the first one after the settle delay, then one per period; each verified and named
// by time and kind; retention keeps the newest N scheduled ones (never manual ones); a restart
// continues the schedule; a failure is removed, reported and retried; damage is refused.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupClock } from '../../hub/backup/BackupScheduler.ts';
import { BackupScheduler } from '../../hub/backup/BackupScheduler.ts';
import { parseBackupName } from '../../hub/backup/backupFolder.ts';
import { backupCommands } from '../../hub/cli/backupCommands.ts';
import type { CliContext } from '../../hub/cli/CliCommand.ts';
import { inspectBackup } from '../../hub/db/inspectBackup.ts';
import type { Actor } from '../../hub/ops/Hub.ts';
import { openTestHub, recordingLog, tempDir, type TestHub } from '../hub-core/harness.ts';

const hour = 3_600_000;
const GENERAL = 1;

/** Time that moves only when the test says; due timers run as it passes them. */
class TestClock implements BackupClock {
  private timers = new Map<number, { at: number; run: () => void }>();
  private ids = 0;
  constructor(public t = Date.parse('2026-12-02T08:00:00.000Z')) {}
  now = () => this.t;
  setTimeout = (run: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.set(id, { at: this.t + ms, run });
    return id;
  };
  clearTimeout = (id: unknown) => void this.timers.delete(id as number);
  /** Moves the time on, running each timer that comes due. */
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.timers])
      if (timer.at <= this.t) {
        this.timers.delete(id);
        timer.run();
      }
  }
  get pending(): number {
    return this.timers.size;
  }
}

/** Waits for a condition on real I/O (a backup takes real time whatever the clock says). */
async function until<T>(what: () => T | null | undefined | false, label: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const schedulers: BackupScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
});

function scheduler(t: TestHub, dir: string, clock: TestClock, more: { everyMs?: number; keep?: number } = {}) {
  const log = recordingLog();
  const s = new BackupScheduler({
    hub: t.hub,
    log,
    dir,
    everyMs: more.everyMs ?? 6 * hour,
    keep: more.keep ?? 2,
    clock,
    settleMs: 60_000,
    retryMs: 10 * 60_000,
  });
  schedulers.push(s);
  return { s, log };
}

/** A person who has sent `n` messages and one file (so backups have a blob to carry). */
async function busyHub(): Promise<{ t: TestHub; anna: Actor; sha: string }> {
  const t = await openTestHub();
  const anna = await t.user('anna', { name: 'Анна Петрова' });
  const bytes = Buffer.from('счёт-фактура №42 '.repeat(200));
  const ref = await t.hub.files.upload(anna, {
    name: 'счёт.txt',
    declaredType: 'text/plain',
    length: bytes.length,
    body: (async function* () {
      yield bytes;
    })(),
  });
  await t.hub.send(anna, { conversationId: GENERAL, clientId: 'with-file-1', text: 'счёт', files: [ref.id] });
  for (let i = 0; i < 20; i++)
    await t.hub.send(anna, { conversationId: GENERAL, clientId: `msg-${i}-000`, text: `сообщение ${i}` });
  return { t, anna, sha: createHash('sha256').update(bytes).digest('hex') };
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('scheduled backups', { timeout: 120_000 }, () => {
  it('first after the settle delay, then every period; verified, private, named by time and kind; retention keeps the newest scheduled ones and every manual one', async () => {
    const { t, anna, sha } = await busyHub();
    const dir = path.join(tempDir(), 'backups');
    const clock = new TestClock();
    const { s, log } = scheduler(t, dir, clock, { keep: 2 });
    s.start();
    expect(mode(dir)).toBe(0o700);
    expect(s.status()).toMatchObject({ dir, everyMs: 6 * hour, keep: 2, lastSuccess: null, lastFailure: null });
    expect(s.status().nextAt).toBe(clock.t + 60_000);

    clock.advance(59_999);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.list()).toEqual([]);
    clock.advance(1);
    const first = await until(() => s.status().lastSuccess, 'the first scheduled backup');
    expect(first.kind).toBe('scheduled');
    expect(path.basename(first.file)).toBe('beseda-2026-12-02T08-01-00-000Z-scheduled.db');
    expect(parseBackupName(path.basename(first.file))).toEqual({ at: first.at, kind: 'scheduled' });
    expect(mode(first.file)).toBe(0o600);
    expect(first.bytes).toBe(fs.statSync(first.file).size);
    // The database and the uploaded file beside it; nothing unfinished left.
    expect(fs.existsSync(path.join(`${first.file}.files`, sha.slice(0, 2), sha))).toBe(true);
    expect(fs.readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
    const inside = inspectBackup(first.file);
    expect(inside).toMatchObject({ users: 1, messages: 21, files: 1 });
    expect(log.lines.find((l) => l.msg === 'backup written and verified')?.obj).toMatchObject({
      file: first.file,
      kind: 'scheduled',
      messages: 21,
    });
    await until(() => s.status().nextAt === first.at + 6 * hour, 'the next one planned a period later');

    // A manual one in between, after more messages.
    await t.hub.send(anna, { conversationId: GENERAL, clientId: 'manual-msg-1', text: 'перед ручной копией' });
    clock.advance(hour);
    const manual = await s.runNow('manual');
    expect(manual.entry.kind).toBe('manual');
    expect(manual.written.contents.messages).toBe(22);

    // Three more periods: three more scheduled backups, only the newest two scheduled kept.
    for (let i = 1; i <= 3; i++) {
      clock.advance(5 * hour);
      await until(
        () => s.list().filter((b) => b.kind === 'scheduled' && b.at > first.at + (i - 1) * 6 * hour + hour),
        `scheduled backup ${i + 1}`,
      );
      clock.advance(hour - 1);
      await until(() => clock.pending === 1, 'the timer re-armed');
    }
    const kept = s.list();
    expect(kept.filter((b) => b.kind === 'scheduled')).toHaveLength(2);
    expect(kept.map((b) => b.kind)).toContain('manual');
    expect(fs.existsSync(first.file)).toBe(false);
    expect(fs.existsSync(`${first.file}.files`)).toBe(false);
    expect(fs.existsSync(manual.entry.file)).toBe(true);
    // Newest first, each one sound.
    expect(kept.map((b) => b.at)).toEqual([...kept.map((b) => b.at)].sort((a, b) => b - a));
    for (const b of kept) expect(inspectBackup(b.file).messages).toBe(22);
    expect(log.lines.filter((l) => l.msg === 'old scheduled backups removed').length).toBeGreaterThan(0);
  });

  it('after a restart: a recent scheduled backup means the next one is a period after it; an old one means one soon', async () => {
    const { t } = await busyHub();
    const dir = path.join(tempDir(), 'backups');
    const clock = new TestClock();
    const a = scheduler(t, dir, clock).s;
    const first = (await a.runNow('scheduled')).entry;
    await a.stop();

    clock.advance(2 * hour);
    const b = scheduler(t, dir, clock).s;
    b.start();
    expect(b.status().lastSuccess?.file).toBe(first.file);
    expect(b.status().nextAt).toBe(first.at + 6 * hour);
    await b.stop();

    clock.advance(5 * hour);
    const c = scheduler(t, dir, clock).s;
    c.start();
    expect(c.status().nextAt).toBe(clock.t + 60_000);
    // A period of 0: no schedule at all, but backups on request still work.
    const off = scheduler(t, dir, clock, { everyMs: 0 }).s;
    off.start();
    expect(off.status().nextAt).toBeNull();
    expect(clock.pending).toBe(1); // c's timer only
    expect((await off.runNow()).entry.kind).toBe('manual');
  });

  it('a backup that cannot be written is removed, reported as lastFailure and retried; the next success clears it', async () => {
    const { t } = await busyHub();
    const dir = path.join(tempDir(), 'backups');
    const clock = new TestClock();
    const { s, log } = scheduler(t, dir, clock);
    s.start();
    // The folder is replaced by a file: every write into it fails.
    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, 'not a folder');
    clock.advance(60_000);
    const failure = await until(() => s.status().lastFailure, 'the failure');
    expect(failure.error).toMatch(/EEXIST|ENOTDIR|not a directory|file already exists/i);
    expect(s.status().lastSuccess).toBeNull();
    expect(log.lines.find((l) => l.level === 'error' && l.msg === 'backup failed')).toBeTruthy();
    await until(() => s.status().nextAt === failure.at + 10 * 60_000, 'a retry planned after retryMs');

    fs.rmSync(dir);
    clock.advance(10 * 60_000);
    const ok = await until(() => s.status().lastSuccess, 'the retry');
    expect(ok.kind).toBe('scheduled');
    expect(s.status().lastFailure).toBeNull();
    expect(fs.readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('verify refuses a damaged backup and one missing an uploaded file (store seam and `beseda-hub backup verify`)', async () => {
    const { t, sha } = await busyHub();
    const dir = path.join(tempDir(), 'backups');
    const s = scheduler(t, dir, new TestClock()).s;
    const good = (await s.runNow()).entry.file;
    await expect(t.hub.verifyBackup(good)).resolves.toMatchObject({ messages: 21, blobs: [sha] });
    const verify = backupCommands.find((c) => c.words.join(' ') === 'backup verify')!;
    const ctx = (file: string) => ({ positionals: [file], values: {} }) as unknown as CliContext;
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      expect(await verify.run(ctx(good))).toBe(0);
      expect(out.join('')).toMatch(/integrity ok, schema version \d+, 1 accounts, .* 21 messages, 1 uploads/);

      // Damage: a page in the middle overwritten.
      const damaged = path.join(dir, 'damaged.db');
      const bytes = fs.readFileSync(good);
      const pageSize = bytes.readUInt16BE(16) || 65536;
      const pages = bytes.length / pageSize;
      expect(pages).toBeGreaterThan(4);
      for (let p = 2; p < pages; p++) bytes.fill(0x5a, p * pageSize + 8, p * pageSize + 200);
      fs.writeFileSync(damaged, bytes);
      await expect(t.hub.verifyBackup(damaged)).rejects.toThrow(/damaged|not a sound|malformed|not a database/);
      out.length = 0;
      expect(await verify.run(ctx(damaged))).toBe(1);
      expect(out.join('')).toMatch(/NOT USABLE: .*(damaged|malformed|not a database)/);

      // Complete database, but its uploaded file is gone from beside it.
      fs.rmSync(path.join(`${good}.files`, sha.slice(0, 2), sha));
      out.length = 0;
      expect(await verify.run(ctx(good))).toBe(1);
      expect(out.join('')).toMatch(/NOT COMPLETE: 1 of the 1 uploaded files/);
    } finally {
      process.stdout.write = write;
    }
  });
});
