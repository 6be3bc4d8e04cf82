// Deleting a message (issue 13): its uploads go unless another message carries them, the blobs
// no upload names any more are handed back, and the text leaves the database and WAL files.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChangeRequest } from '../../hub/store/MessageStore.ts';
import { onPostgres } from './harness.ts';
import { now, openStore } from './messageStoreHarness.ts';

let clientIds = 0;
function remove(actorId: number, seq: number): ChangeRequest {
  clientIds += 1;
  return { actorId, clientId: `del-${clientIds}-id`, seq, ts: now + 90_000 + clientIds, change: { kind: 'delete' } };
}

async function freed(t: Awaited<ReturnType<typeof openStore>>, actorId: number, seq: number): Promise<string[]> {
  const outcome = await t.store.messages.applyChange(remove(actorId, seq));
  if (outcome.kind !== 'applied') throw new Error(`not applied: ${JSON.stringify(outcome)}`);
  return [...outcome.freedBlobs].sort();
}

describe('deleting a message with files', () => {
  it('frees a blob only when no upload names it any more (identical uploads share a blob)', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const boris = await t.user('boris');
    const room = await t.room('Комната', anna, [boris]);
    // Two uploads of the same bytes by two people: one blob, two rows.
    const annas = await t.upload(anna, 'одинаковое', 'image', 'одинаковое-превью');
    const boriss = await t.upload(boris, 'одинаковое', 'image', 'одинаковое-превью');
    const own = await t.upload(anna, 'своё');
    const first = await t.post(anna, room, 'моё', { files: [annas, own] });
    const second = await t.post(boris, room, 'и моё', { files: [boriss] });

    // Anna's message: her `своё` blob goes; the shared blob and preview stay (Boris's upload names them).
    expect(await freed(t, anna, first)).toEqual(['sha-своё']);
    expect(await t.store.files.get(annas)).toBeUndefined();
    expect(await t.store.files.get(own)).toBeUndefined();
    expect(await t.store.files.get(boriss)).toBeDefined();
    expect([...(await t.store.files.referencedBlobs())].sort()).toEqual(['sha-одинаковое', 'sha-одинаковое-превью']);

    // Boris's message: now nothing names them.
    expect(await freed(t, boris, second)).toEqual(['sha-одинаковое', 'sha-одинаковое-превью']);
    expect(await t.store.files.referencedBlobs()).toEqual(new Set());
  });

  it('keeps an upload another message carries, and a blob a not yet attached upload names', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Комната', anna);
    const shared = await t.upload(anna, 'общий');
    const first = await t.post(anna, room, 'раз', { files: [shared] });
    const forward = await t.post(anna, await t.general(), '', { forward: first });
    expect(await freed(t, anna, first)).toEqual([]);
    expect(await t.store.files.get(shared)).toBeDefined();
    // An upload of the same bytes that waits to be attached names the blob too.
    await t.upload(anna, 'общий');
    expect(await freed(t, anna, forward)).toEqual([]);
    expect(await t.store.files.get(shared)).toBeUndefined();
  });
});

describe('secure delete', () => {
  it.skipIf(onPostgres)(
    'leaves no trace of the text in the .db or -wal bytes once the checkpoint after a delete ran',
    async () => {
      const t = await openStore();
      const anna = await t.user('anna');
      const room = await t.room('Комната', anna);
      const marker = `MARKER-${randomBytes(12).toString('hex')}`;
      // A few messages around it, so the page holds other rows too.
      await t.post(anna, room, 'до');
      const seq = await t.post(anna, room, `секрет ${marker} секрет`, {
        attachments: [{ text: `${marker}-вложение` }],
      });
      await t.post(anna, room, 'после');
      const bytes = () =>
        [t.file, `${t.file}-wal`].map((f) => (fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0)));
      const holds = () => bytes().some((b) => b.includes(marker));
      // The test can fail: the text IS in the files before the delete.
      expect(holds()).toBe(true);

      const outcome = await t.store.messages.applyChange(remove(anna, seq));
      expect(outcome.kind).toBe('applied');
      await waitForCheckpoint(t.file);
      expect(holds()).toBe(false);
      expect((await t.store.messages.get(seq))!.text).toBe('');
    },
  );

  it.skipIf(onPostgres)('leaves no trace of the text an edit replaced once the checkpoint after it ran', async () => {
    const t = await openStore();
    const anna = await t.user('anna');
    const room = await t.room('Комната', anna);
    const marker = `EDITED-${randomBytes(12).toString('hex')}`;
    const seq = await t.post(anna, room, `опечатка ${marker}`);
    const holds = () => [t.file, `${t.file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(marker));
    expect(holds()).toBe(true);
    const outcome = await t.store.messages.applyChange({
      actorId: anna,
      clientId: 'edit-secure-id',
      seq,
      ts: now + 1,
      change: { kind: 'edit', text: 'исправлено', mentions: [], mentionsAll: false },
    });
    expect(outcome.kind).toBe('applied');
    await waitForCheckpoint(t.file);
    expect(holds()).toBe(false);
  });
});

/** Waits until the store has checkpointed (TRUNCATE) the WAL, about a second after the last delete or edit. */
async function waitForCheckpoint(file: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0) {
    if (Date.now() > deadline) throw new Error('the WAL was never checkpointed');
    await new Promise((r) => setTimeout(r, 100));
  }
}
