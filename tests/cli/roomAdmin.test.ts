// `beseda-hub room …` and `user list --csv` against a running hub, with members connected: what IT
// changes from the command line reaches people's apps at once, the way the same change from a
// member's app would (a rename, an archived room turning read-only, a room brought back).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerFrame } from '../../common/protocol/serverFrame.ts';
import { runCli } from '../integrations/integrationHelpers.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { type ReplyError, TestSocket } from '../helpers/TestSocket.ts';

type Conv = Extract<ServerFrame, { type: 'conversation' }>['conversation'];

/** The CSV's rows (it is written for Excel: BOM, `;`, CRLF), fields as written (quotes kept). */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\ufeff'), 'a byte-order mark first').toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text
    .slice(1, -2)
    .split('\r\n')
    .map((line) => {
      const fields: string[] = [];
      let field = '';
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        if (ch === ';' && !quoted) {
          fields.push(field);
          field = '';
        } else field += ch;
      }
      return [...fields, field];
    });
}

describe('room administration from the command line, with the hub running', () => {
  let hub: TestHub;
  let ivan: TestSocket;
  let ivanId: number;
  const room = (args: string[]) => runCli(['room', ...args, '--data', hub.dataDir]);

  beforeAll(async () => {
    hub = await startHub();
    const added = await hub.addUser('ivan', 'Иван Петров', { branch: 'Самара' });
    ivanId = added.id;
    await hub.addUser('maria', '=HYPERLINK("http://x")');
    ivan = await TestSocket.open(hub.wsUrl, (await hub.login('ivan', added.password)).token);
  }, 120_000);
  afterAll(async () => {
    ivan?.close();
    await hub?.stop();
  });

  it('adds a room its members see at once, renames it before their eyes, lists it', async () => {
    const created = ivan.next('conversation', (f) => f.conversation.name === 'Склад');
    const add = await room(['add', 'Склад', '--topic', 'Остатки', '--members', 'ivan,maria']);
    expect(add.code, add.err).toBe(0);
    expect(add.out).toMatch(/Created room "Склад" \(id \d+, open, owner \(hub\), 2 members\)/);
    const conv: Conv = (await created).conversation;
    expect(conv).toMatchObject({ kind: 'open', topic: 'Остатки', ownerId: null, archived: false });

    const renamedView = ivan.next(
      'conversation',
      (f) => f.conversation.id === conv.id && f.conversation.name === 'Склад №2',
    );
    const renamedMessage = ivan.next('message', (f) => f.message.system?.event === 'renamed');
    const rename = await room(['rename', 'склад', 'Склад №2']);
    expect(rename.code, rename.err).toBe(0);
    await renamedView;
    expect((await renamedMessage).message).toMatchObject({ conversationId: conv.id, system: { value: 'Склад №2' } });

    const list = await room(['list']);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(new RegExp(`\\s${conv.id} Склад №2\\s+open\\s+2 \\(hub\\)`));
    expect(list.out).toMatch(/Общий чат\s+general/);
  });

  it('archives a room: read-only for its members, out of the directory, its name free; unarchive brings it back', async () => {
    const conv = (await ivan.request<{ conversations: Conv[] }>('conversations.list')).conversations.find(
      (c) => c.name === 'Склад №2',
    )!;
    const last = await ivan.request<{ message: { seq: number } }>('send', {
      conversationId: conv.id,
      clientId: 'before-archive-1',
      text: 'последнее',
    });

    const archivedView = ivan.next('conversation', (f) => f.conversation.id === conv.id && f.conversation.archived);
    const archivedMessage = ivan.next('message', (f) => f.message.system?.event === 'archived');
    const archive = await room(['archive', String(conv.id)]);
    expect(archive.code, archive.err).toBe(0);
    expect(archive.out).toMatch(/Archived room "Склад №2"/);
    await archivedView;
    await archivedMessage;
    await expect(
      ivan.request('send', { conversationId: conv.id, clientId: 'after-archive-1', text: 'ещё' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/archived/),
    } satisfies Partial<ReplyError>);
    // Nor is anything changed in it: reactions, edits, room updates.
    await expect(
      ivan.request('message.react', { clientId: 'react-archived-1', seq: last.message.seq, emoji: '👍', on: true }),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/archived/) });
    await expect(
      ivan.request('message.edit', { clientId: 'edit-archived-1', seq: last.message.seq, text: 'правка' }),
    ).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/archived/) });
    await expect(ivan.request('rooms.update', { conversationId: conv.id, topic: 'новая' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/archived/),
    });
    const browse = await ivan.request<{ rooms: { id: number }[] }>('rooms.browse', { query: 'склад' });
    expect(browse.rooms.map((r) => r.id)).not.toContain(conv.id);
    expect((await room(['list'])).out).not.toContain('Склад №2');
    const all = await room(['list', '--archived', '--csv']);
    const row = csvRows(all.out).find((r) => r[0] === String(conv.id))!;
    expect(row).toEqual([
      String(conv.id),
      'Склад №2',
      'open',
      '2',
      '(hub)',
      expect.any(String),
      expect.any(String),
      'yes',
      'Остатки',
    ]);
    expect(csvRows(all.out)[0]).toEqual([
      'id',
      'name',
      'kind',
      'members',
      'owner',
      'created_utc',
      'last_message_utc',
      'archived',
      'topic',
    ]);

    // The name is free: a new room takes it, and the old one cannot come back under it.
    expect((await room(['add', 'Склад №2'])).code).toBe(0);
    const refused = await room(['unarchive', String(conv.id)]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/error \(conflict\): an active room is named "Склад №2" already/);
    expect((await room(['rename', String(conv.id), 'Склад (старый)'])).code).toBe(0);

    const back = ivan.next('conversation', (f) => f.conversation.id === conv.id && !f.conversation.archived);
    const unarchive = await room(['unarchive', 'Склад (старый)']);
    expect(unarchive.code, unarchive.err).toBe(0);
    await back;
    await ivan.request('send', { conversationId: conv.id, clientId: 'after-unarchive-1', text: 'снова здесь' });
  });

  it('refuses what cannot be done with one clear line', async () => {
    const general = await room(['archive', 'Общий чат']);
    expect(general.code).toBe(1);
    expect(general.err).toMatch(/the general room cannot be archived/);
    const missing = await room(['rename', 'Нет такой', 'X']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no room "Нет такой"/);
    const nobody = await room(['add', 'Пусто', '--closed']);
    expect(nobody.code).toBe(1);
    expect(nobody.err).toMatch(/needs --owner or --members/);
    const unknownOwner = await room(['add', 'Чужая', '--owner', 'nobody']);
    expect(unknownOwner.code).toBe(1);
    expect(unknownOwner.err).toMatch(/no user "nobody"/);
  });

  it('user list --csv: id, branch, e-mail, created and last seen, for Excel, formulas defused', async () => {
    const r = await runCli(['user', 'list', '--csv', '--data', hub.dataDir]);
    expect(r.code, r.err).toBe(0);
    const rows = csvRows(r.out);
    expect(rows[0]).toEqual([
      'id',
      'login',
      'name',
      'role',
      'status',
      'branch',
      'email',
      'created_utc',
      'last_seen_utc',
      'external_id',
    ]);
    const time = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
    const ivanRow = rows.find((row) => row[1] === 'ivan')!;
    expect(ivanRow.slice(0, 6)).toEqual([String(ivanId), 'ivan', 'Иван Петров', 'user', 'active', 'Самара']);
    expect(ivanRow[7]).toMatch(time);
    // Connected now: last seen is now-ish, from the running hub.
    expect(ivanRow[8]).toMatch(time);
    const maria = rows.find((row) => row[1] === 'maria')!;
    expect(maria[2]).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(maria[8]).toBe('');
    const text = await runCli(['user', 'list', '--data', hub.dataDir]);
    expect(text.out).toMatch(/^ivan\s+Иван Петров\s+user\s+active\s+\d+ Самара/m);
    expect(text.out).toMatch(/^maria .* never$/m);
  });
});
