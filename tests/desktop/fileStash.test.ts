// The desktop app's outbox files: a folder in its own data that keeps each attachment whole or not
// at all, readable by the user only, and the IPC check for a send with files.
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderFileStash } from '../../main/files/FolderFileStash.ts';
import { checkInvoke } from '../../main/ipc/checkInvoke.ts';
import { appEntryUrl } from '../../main/security/appProtocol.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { generalId, signIn, startDesktop, until } from './harness.ts';

const tempDir = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'beseda-stash-')), 'outbox-files');

describe('FolderFileStash', () => {
  it('keeps bytes under their id until deleted, lists and clears them', async () => {
    const dir = tempDir();
    const stash = new FolderFileStash(dir);
    expect(await stash.list()).toEqual([]);
    expect(await stash.get('abc')).toBeNull();
    const big = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) % 251);
    await stash.put('abc', big);
    await stash.put('def_-1', new Uint8Array([1, 2, 3]));
    expect(Buffer.from((await stash.get('abc'))!).equals(Buffer.from(big))).toBe(true);
    expect((await stash.list()).sort()).toEqual(['abc', 'def_-1']);

    // A second instance on the same folder (the app restarted) finds them.
    const again = new FolderFileStash(dir);
    expect([...(await again.get('def_-1'))!]).toEqual([1, 2, 3]);
    await again.delete('abc');
    await again.delete('abc'); // deleting a missing one is fine
    expect(await again.list()).toEqual(['def_-1']);

    await again.clear();
    expect(await again.list()).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('is readable by this user only', async () => {
    const dir = tempDir();
    const stash = new FolderFileStash(dir);
    await stash.put('x1', new Uint8Array([9]));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'x1')).mode & 0o777).toBe(0o600);
  });

  it('never turns an id into another path, and ignores leftovers of an interrupted write', async () => {
    const dir = tempDir();
    const stash = new FolderFileStash(dir);
    for (const id of ['../evil', 'a/b', '', '.tmp-x', 'a'.repeat(65)]) {
      await expect(stash.put(id, new Uint8Array([1]))).rejects.toThrow(/not an outbox file id/);
      await expect(stash.get(id)).rejects.toThrow(/not an outbox file id/);
    }
    expect(existsSync(path.join(dir, '..', 'evil'))).toBe(false);
    // A crash while writing leaves a temporary file: it is not an entry, and clear removes it.
    await stash.put('kept', new Uint8Array([1]));
    writeFileSync(path.join(dir, '.tmp-halfwritten'), 'partial');
    expect(await stash.list()).toEqual(['kept']);
    await stash.clear();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('IPC check of send with files', () => {
  const page = { frameUrl: appEntryUrl, isMainFrame: true };
  const file = { name: 'Счёт №17.pdf', type: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70]) };

  it('accepts text with files (the text may then be empty)', () => {
    expect(checkInvoke(page, 'send', [5, 'вот счёт', [file]]).ok).toBe(true);
    expect(checkInvoke(page, 'send', [5, '', [file, { ...file, name: 'image.png', type: 'image/png' }]]).ok).toBe(true);
    expect(checkInvoke(page, 'send', [5, 'только текст']).ok).toBe(true);
  });

  it('refuses malformed files', () => {
    for (const args of [
      [5, '', []], // no files and no text
      [5, ''], // empty text alone
      [5, 'x', [{ ...file, bytes: 'JVBERg==' }]], // bytes must be bytes
      [5, 'x', [{ ...file, bytes: [37, 80] }]],
      [5, 'x', [{ name: 'a', bytes: new Uint8Array(1) }]], // no type
      [5, 'x', [{ ...file, path: '/etc/passwd' }]], // no extra properties
      [5, 'x', Array.from({ length: 21 }, () => file)], // more than the protocol allows
      [5, 'x', [file], 'extra'],
    ]) {
      expect(checkInvoke(page, 'send', args).ok, JSON.stringify(args)).toBe(false);
    }
  });
});

describe('desktop: files through the Backend the window uses', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    if (hub && hub.process.exitCode === null && hub.process.signalCode === null) await hub.stop();
  });

  it('sends a file, keeps one sent while the hub is down in the folder, and sign-out empties the folder', async () => {
    const dir = tempDir();
    const vera = await hub.addUser('vera', 'Вера');
    const d = await startDesktop({ hidden: true, fileStash: new FolderFileStash(dir) });
    try {
      await signIn(d, hub, 'vera', vera.password);
      const general = generalId(d);
      await d.app.backend.setActiveConversation(general);
      const bytes = new Uint8Array(300_000).map((_, i) => i % 253);
      await d.app.backend.send(general, 'акт сверки', [{ name: 'Акт.pdf', type: 'application/pdf', bytes }]);
      const sent = await until(() =>
        d.client.getStateNow().messages[general]?.items.find((m) => m.text === 'акт сверки' && m.status === 'sent'),
      );
      expect(sent.files).toMatchObject([{ name: 'Акт.pdf', size: bytes.length }]);
      await until(() => readdirSync(dir).length === 0, 'the sent file leaves the folder');

      await hub.kill();
      await until(() => d.client.getStateNow().connection !== 'connected', 'offline');
      await d.app.backend.send(general, '', [{ name: 'Скриншот.png', type: 'image/png', bytes: bytes.slice(0, 1000) }]);
      expect(readdirSync(dir)).toHaveLength(1);
      await d.app.backend.signOut();
      expect(readdirSync(dir)).toEqual([]);
      expect(d.client.getStateNow().fileKey).toBeNull();
    } finally {
      d.stop();
      if (hub.process.exitCode !== null || hub.process.signalCode !== null) await hub.restart();
    }
  });
});
