import Database from 'better-sqlite3';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subprotocolFor, tokenSubprotocolPrefix } from '../../common/protocol/version.ts';
import { startHub, type TestHub } from '../helpers/startHub.ts';
import { report } from './harnessEnv.ts';
import { OutboxClient } from './OutboxClient.ts';

// The authorization matrix: every request that targets a conversation × every kind of
// conversation × every relation of the caller to it, and the one outcome each must have.
// `ok` or an error code. Derived from docs/protocol.md; where the document is silent the hub's
// behaviour is written down and marked `// undocumented`, so a change to it is a visible decision.

type Kind = 'general' | 'open' | 'closed' | 'direct';
type Role = 'owner' | 'member' | 'nonMember' | 'admin';
type Outcome = 'ok' | 'forbidden' | 'not_found' | 'conflict' | 'bad_request';
type Op =
  | 'history'
  | 'send'
  | 'read'
  | 'typing'
  | 'rooms.join'
  | 'rooms.leave'
  | 'rooms.invite'
  | 'rooms.remove'
  | 'rooms.update'
  | 'rooms.transfer'
  | 'rooms.members'
  | 'pins.list'
  | 'conversations.notify'
  | 'history.around';

const ops: Op[] = [
  'history',
  'send',
  'read',
  'typing',
  'rooms.join',
  'rooms.leave',
  'rooms.invite',
  'rooms.remove',
  'rooms.update',
  'rooms.transfer',
  'rooms.members',
  'pins.list',
  'conversations.notify',
  'history.around',
];

/** The expected outcome of every cell. */
const expected: Record<Kind, Partial<Record<Role, Record<Op, Outcome>>>> = {
  general: {
    member: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict', // already a member (errors.ts: conflict, "already a member")
      'rooms.leave': 'forbidden', // "Nobody can leave the general room (forbidden)"
      'rooms.invite': 'bad_request', // undocumented: everyone is in it already
      'rooms.remove': 'bad_request', // undocumented: nobody can be removed from it
      'rooms.update': 'forbidden', // "Owner only (forbidden for other members)"; the general room: admins
      'rooms.transfer': 'bad_request', // undocumented: it has no owner
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    admin: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict',
      'rooms.leave': 'forbidden',
      'rooms.invite': 'bad_request',
      'rooms.remove': 'bad_request',
      'rooms.update': 'ok', // undocumented: an administrator may rename the general room / set its topic
      'rooms.transfer': 'bad_request',
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
  },
  open: {
    owner: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict',
      'rooms.leave': 'ok', // "When the owner leaves, the longest-standing member becomes the owner"
      'rooms.invite': 'ok',
      'rooms.remove': 'ok', // "only the owner removes"
      'rooms.update': 'ok',
      'rooms.transfer': 'ok',
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    member: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict',
      'rooms.leave': 'ok',
      'rooms.invite': 'ok', // "Any member invites"
      'rooms.remove': 'forbidden',
      'rooms.update': 'forbidden',
      'rooms.transfer': 'forbidden',
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    nonMember: {
      history: 'forbidden', // undocumented: join first
      send: 'forbidden', // "not_found/forbidden (no access)": an open room is known, so forbidden
      read: 'forbidden', // undocumented
      typing: 'forbidden', // undocumented
      'rooms.join': 'ok', // "Only open rooms can be joined"
      'rooms.leave': 'forbidden', // undocumented
      'rooms.invite': 'forbidden', // undocumented: members invite
      'rooms.remove': 'forbidden',
      'rooms.update': 'forbidden',
      'rooms.transfer': 'forbidden',
      'rooms.members': 'ok', // undocumented: an open room's members are visible before joining
      'pins.list': 'forbidden', // join first, like history
      'conversations.notify': 'forbidden', // a member's own setting
      'history.around': 'forbidden',
    },
  },
  closed: {
    owner: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict',
      'rooms.leave': 'ok',
      'rooms.invite': 'ok',
      'rooms.remove': 'ok',
      'rooms.update': 'ok',
      'rooms.transfer': 'ok',
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    member: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict',
      'rooms.leave': 'ok',
      'rooms.invite': 'ok',
      'rooms.remove': 'forbidden',
      'rooms.update': 'forbidden',
      'rooms.transfer': 'forbidden',
      'rooms.members': 'ok',
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    // "not_found: does not exist or you may not know it exists (closed rooms, …)": for everything.
    nonMember: Object.fromEntries(ops.map((op) => [op, 'not_found'])) as Record<Op, Outcome>,
  },
  direct: {
    member: {
      history: 'ok',
      send: 'ok',
      read: 'ok',
      typing: 'ok',
      'rooms.join': 'conflict', // undocumented
      'rooms.leave': 'bad_request', // undocumented: a direct conversation cannot be left
      'rooms.invite': 'bad_request', // undocumented: exactly two people
      'rooms.remove': 'bad_request', // undocumented
      'rooms.update': 'bad_request', // undocumented: it has no name
      'rooms.transfer': 'bad_request', // undocumented
      'rooms.members': 'ok', // undocumented
      'pins.list': 'ok',
      'conversations.notify': 'ok',
      'history.around': 'ok',
    },
    // "(… other people's direct conversations)": not_found for everything.
    nonMember: Object.fromEntries(ops.map((op) => [op, 'not_found'])) as Record<Op, Outcome>,
  },
};

interface Person {
  id: number;
  login: string;
  password: string;
  token: string;
  client: OutboxClient;
}

let hub: TestHub;
const people: Record<string, Person> = {};
let general = 0;
let counter = 0;

async function person(login: string, admin = false): Promise<Person> {
  const u = await hub.addUser(login, login, { admin });
  const { token } = await hub.login(u.login, u.password);
  const client = new OutboxClient({ url: () => hub.wsUrl, token, userId: u.id });
  await client.start();
  return { ...u, token, client };
}

/** Runs a request; returns `ok` or the error code. */
async function outcome(p: Person, type: string, params: Record<string, unknown>): Promise<string> {
  try {
    await p.client.request(type, params);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

beforeAll(async () => {
  hub = await startHub({ args: ['--frames-per-second', '1000', '--frames-burst', '2000', '--send-per-second', '100'] });
  for (const login of ['owner', 'member', 'member2', 'nonMember', 'outsider']) people[login] = await person(login);
  people.admin = await person('itadmin', true);
  general = (
    await people.owner!.client.request<{ conversations: { id: number; kind: string }[] }>('conversations.list')
  ).conversations.find((c) => c.kind === 'general')!.id;
});
afterAll(async () => {
  await Promise.all(Object.values(people).map((p) => p.client.stop()));
  await hub.stop();
});

/** A fresh conversation of a kind: owner, member, member2 in it; nonMember and outsider not. */
async function conversationOf(kind: Kind): Promise<number> {
  const { owner, member, member2 } = people as Record<string, Person>;
  if (kind === 'general') return general;
  if (kind === 'direct') {
    const { conversation } = await owner!.client.request<{ conversation: { id: number } }>('direct.open', {
      userId: member!.id,
    });
    return conversation.id;
  }
  const { conversation } = await owner!.client.request<{ conversation: { id: number } }>('rooms.create', {
    name: `Комната ${kind} ${counter++}`,
    kind,
    members: [member!.id, member2!.id],
  });
  return conversation.id;
}

function paramsFor(op: Op, conversationId: number): Record<string, unknown> {
  const { member2, outsider } = people as Record<string, Person>;
  switch (op) {
    case 'send':
      return { conversationId, clientId: `authz-${(counter++).toString(36)}-xyz`, text: 'проверка прав' };
    case 'read':
      return { conversationId, seq: 1 };
    case 'rooms.invite':
      return { conversationId, userIds: [outsider!.id] };
    case 'rooms.remove':
    case 'rooms.transfer':
      return { conversationId, userId: member2!.id };
    case 'rooms.update':
      return { conversationId, topic: `тема ${counter++}` };
    case 'conversations.notify':
      return { conversationId, notify: 'mentions' };
    case 'history.around':
      return { conversationId, around: 1 };
    default:
      return { conversationId };
  }
}

describe('authorization matrix', () => {
  it('gives every request × conversation kind × caller exactly the documented outcome', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    const shared = new Map<Kind, number>();
    for (const kind of Object.keys(expected) as Kind[]) {
      for (const [role, row] of Object.entries(expected[kind]) as [Role, Record<Op, Outcome>][]) {
        for (const op of ops) {
          // Changes get a fresh room; reads and refusals share one per kind.
          const mutating = ['rooms.leave', 'rooms.remove', 'rooms.transfer', 'rooms.join', 'rooms.invite'].includes(op);
          let id = shared.get(kind);
          if (id === undefined || (mutating && row[op] === 'ok')) {
            id = await conversationOf(kind);
            if (!shared.has(kind)) shared.set(kind, id);
          }
          const actor =
            people[
              role === 'admin' ? 'admin' : role === 'owner' ? 'owner' : role === 'member' ? 'member' : 'nonMember'
            ]!;
          const type = op === 'history.around' ? 'history' : op;
          const got = await outcome(actor, type, paramsFor(op, id));
          cells++;
          if (got !== row[op]) mismatches.push(`${op} in ${kind} as ${role}: expected ${row[op]}, got ${got}`);
        }
      }
    }
    report('authorization matrix', { cells, mismatches: mismatches.length });
    expect(mismatches).toEqual([]);
  });

  it('never shows a closed room or a direct conversation to an outsider, in any listing', async () => {
    const { owner, member, nonMember } = people as Record<string, Person>;
    const closed = await conversationOf('closed');
    const direct = await conversationOf('direct');
    for (const id of [closed, direct])
      await owner!.client.request('send', { conversationId: id, clientId: `secret-${id}-xyz`, text: 'секрет' });
    const browse = await nonMember!.client.request<{ rooms: { id: number }[] }>('rooms.browse', { limit: 200 });
    expect(browse.rooms.map((r) => r.id)).not.toContain(closed);
    const list = await nonMember!.client.request<{ conversations: { id: number }[] }>('conversations.list');
    expect(list.conversations.map((c) => c.id)).not.toContain(closed);
    expect(list.conversations.map((c) => c.id)).not.toContain(direct);
    const sync = await nonMember!.client.request<{ messages: { conversationId: number }[] }>('sync', { since: 0 });
    expect(sync.messages.filter((m) => m.conversationId === closed || m.conversationId === direct)).toEqual([]);
    // Nothing of them was delivered live to anyone outside them either.
    await member!.client.catchUp();
    const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
    const membersOf = db.prepare('SELECT user_id AS id FROM members WHERE conversation_id = ?');
    for (const id of [closed, direct]) {
      const inside = new Set((membersOf.all(id) as { id: number }[]).map((r) => r.id));
      for (const p of Object.values(people)) {
        if (inside.has(p.id)) continue;
        const leaked = [...p.client.received.values()].filter((m) => m.conversationId === id);
        expect(leaked.map((m) => `${p.login} got ${m.seq} of ${id}`)).toEqual([]);
      }
    }
    db.close();
    // The member does see it.
    const memberSync = await member!.client.request<{ messages: { conversationId: number }[] }>('sync', { since: 0 });
    expect(memberSync.messages.some((m) => m.conversationId === closed)).toBe(true);
  });

  it('stores nothing for a refused send', async () => {
    const { nonMember } = people as Record<string, Person>;
    const closed = await conversationOf('closed');
    const open = await conversationOf('open');
    expect(
      await outcome(nonMember!, 'send', { conversationId: closed, clientId: 'refused-closed-1', text: 'нет' }),
    ).toBe('not_found');
    expect(await outcome(nonMember!, 'send', { conversationId: open, clientId: 'refused-open-1', text: 'нет' })).toBe(
      'forbidden',
    );
    const db = new Database(path.join(hub.dataDir, 'beseda.db'), { readonly: true });
    const n = (db.prepare(`SELECT count(*) AS n FROM messages WHERE client_id GLOB 'refused-*'`).get() as { n: number })
      .n;
    db.close();
    expect(n).toBe(0);
  });

  it('refuses the upgrade (401) for no token, an unknown token, a revoked session and a disabled account; closes live sockets with 4101 / 4103', async () => {
    const upgrade = (token: string | undefined) =>
      new Promise<number>((resolve) => {
        const protocols =
          token === undefined ? [subprotocolFor(1)] : [subprotocolFor(1), tokenSubprotocolPrefix + token];
        const ws = new WebSocket(hub.wsUrl, protocols);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    const closeOf = (client: OutboxClient) =>
      new Promise<string>((resolve) => {
        const t = setInterval(() => {
          if (client.terminal) {
            clearInterval(t);
            resolve(client.terminal);
          }
        }, 20);
      });

    // Signed out: the live socket closes with 4101, the token is refused from then on.
    const leaver = await person('leaver');
    const closed1 = closeOf(leaver.client);
    const logout = await fetch(`${hub.url}/api/v1/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${leaver.token}` },
    });
    expect(logout.status).toBe(204);
    expect(await closed1).toBe('close 4101');
    expect(await upgrade(leaver.token)).toBe(401);

    // Password changed by IT: sessions end (4101).
    const changer = await person('changer');
    const closed2 = closeOf(changer.client);
    await hub.admin_('user.passwd', { login: 'changer', password: 'Новый-пароль-123' });
    expect(await closed2).toBe('close 4101');
    expect(await upgrade(changer.token)).toBe(401);

    // Disabled: 4103 at once, and refused.
    const disabled = await person('disabled');
    const closed3 = closeOf(disabled.client);
    await hub.admin_('user.disable', { login: 'disabled' });
    expect(await closed3).toBe('close 4103');
    expect(await upgrade(disabled.token)).toBe(401);
    const me = await fetch(`${hub.url}/api/v1/me`, { headers: { authorization: `Bearer ${disabled.token}` } });
    expect(me.status).toBe(401);

    expect(await upgrade(undefined)).toBe(401);
    expect(await upgrade('kqJ3' + 'x'.repeat(39))).toBe(401);
    expect(await upgrade('')).toBe(401);
    expect(await upgrade(people.owner!.token)).toBe(101);
  });
});
