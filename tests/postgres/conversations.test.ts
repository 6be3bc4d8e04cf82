// The PostgreSQL conversation and room-admin stores against the SQLite ones: the same script of
// changes run on a hub of each kind must answer exactly the same (ids, seqs, views, refusals,
// orders), including what hub-core does not reach — browse's order and topic matching, the
// longest-standing member among people put in at once, notification settings, the admin CLI's
// store. (Concurrent writers: conversationRaces.test.ts.)
import { describe, expect, it } from 'vitest';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { Store } from '../../hub/store/Store.ts';
import type { Actor, Hub } from '../../hub/ops/Hub.ts';
import { cid } from '../hub-core/harness.ts';
import { postgresAvailable } from '../helpers/postgres.ts';
import { hubOn } from './conversationHubs.ts';

const key = roomNameKey;

/** What the script saw: every answer, in order, labelled; system messages' random client ids blanked. */
async function script(kind: 'sqlite' | 'postgres'): Promise<Record<string, unknown>> {
  const { hub, user, store, now } = await hubOn(kind);
  try {
    return await run(hub, user, store, now);
  } finally {
    await hub.close();
  }
}

async function run(hub: Hub, user: (login: string) => Promise<Actor>, store: Store, now: number) {
  const c = store.conversations;
  const admin = store.roomAdmin;
  const seen: Record<string, unknown> = {};
  const see = async <T>(label: string, p: Promise<T>): Promise<T> => {
    const value = await p;
    seen[label] = JSON.parse(JSON.stringify(value ?? null, (k, v) => (k === 'clientId' ? '*' : v)));
    return value;
  };
  const created = (r: unknown) => (r as { conversationId: number }).conversationId;
  const [anna, boris, vera, gleb] = [await user('anna'), await user('boris'), await user('vera'), await user('gleb')];
  const [a, b, v, g] = [anna.userId, boris.userId, vera.userId, gleb.userId];
  const nameOf = new Map([
    [a, 'anna'],
    [b, 'boris'],
    [v, 'vera'],
    [g, 'gleb'],
  ]);
  seen.ids = { a, b, v, g };

  // Gleb is invited before Boris although his id is higher: he is the longer-standing of the two.
  const sklad = created(
    await see(
      'create sklad',
      c.createRoom(
        {
          kind: 'open',
          name: 'Склад',
          nameKey: key('Склад'),
          topic: 'Остатки и приход',
          ownerId: a,
          invited: [g, b, g],
        },
        now,
      ),
    ),
  );
  const buh = created(
    await see(
      'create buh',
      c.createRoom(
        { kind: 'closed', name: 'Бухгалтерия', nameKey: key('Бухгалтерия'), topic: '', ownerId: v, invited: [a] },
        now + 1,
      ),
    ),
  );
  const news = created(
    await see(
      'admin create news',
      admin.create(
        {
          kind: 'open',
          name: 'Объявления',
          nameKey: key('Объявления'),
          topic: 'Склад новостей',
          ownerId: null,
          invited: [b, v],
          actorId: a,
        },
        now + 2,
      ),
    ),
  );
  const sklad2 = created(
    await see(
      'create sklad2',
      c.createRoom(
        { kind: 'open', name: 'Склад 2', nameKey: key('Склад 2'), topic: '', ownerId: b, invited: [] },
        now + 3,
      ),
    ),
  );
  await see(
    'create zeta',
    c.createRoom(
      { kind: 'open', name: 'Zeta склад', nameKey: key('Zeta склад'), topic: '', ownerId: v, invited: [] },
      now + 4,
    ),
  );
  await see(
    'create taken',
    c.createRoom({ kind: 'open', name: 'СКЛАД', nameKey: key('СКЛАД'), topic: '', ownerId: v, invited: [] }, now + 5),
  );
  await see(
    'create unknown invitee',
    c.createRoom(
      { kind: 'open', name: 'Новая', nameKey: key('Новая'), topic: '', ownerId: v, invited: [987654] },
      now + 5,
    ),
  );
  await hub.send(boris, { conversationId: sklad, clientId: cid('s1'), text: 'привет' });
  await hub.send(boris, { conversationId: sklad, clientId: cid('s2'), text: `@${'anna'} посмотри` });

  for (const [viewer, query, limit] of [
    [g, 'склад', 10],
    [g, '', 2],
    [g, '', 100],
    [v, 'бух', 10],
    [g, 'бух', 10],
    [a, 'остатки', 10],
    [a, 'новост', 10],
  ] as const) {
    await see(`browse ${nameOf.get(viewer)} '${query}' ${limit}`, c.browse(viewer, key(query), limit));
  }

  await see('invite to buh', c.addMembers(buh, [g, g, 987654], { by: 'member', actorId: a }, now + 10));
  await see('invite to buh, known', c.addMembers(buh, [g], { by: 'member', actorId: a }, now + 10));
  await see('vera joins sklad', c.addMembers(sklad, [v], { by: 'self' }, now + 11));
  await see('vera joins again', c.addMembers(sklad, [v], { by: 'self' }, now + 11));
  await see('hub adds', c.addMembers(news, [a, g], { by: 'hub' }, now + 12));
  await see('owner leaves sklad', c.removeMember(sklad, a, { by: 'self' }, now + 13));
  await see('owner removes', c.removeMember(sklad, v, { by: 'owner', actorId: g, expectedOwnerId: g }, now + 14));
  await see('mute', c.setNotify(sklad, b, { notify: 'mentions', mutedUntil: now + 3_600_000 }, now + 15));
  await see('mute forever', c.setNotify(sklad, g, { mutedUntil: null }, now + 15));
  await see('unmute', c.setNotify(sklad, b, { mutedUntil: 0 }, now + 16));
  await see('notify non-member', c.setNotify(sklad, a, { notify: 'none' }, now + 16));
  const rename = (name: string) => ({ actorId: g, expectedOwnerId: g, name: { name, key: key(name) } });
  await see('rename taken', c.updateRoom(sklad, { ...rename('склад 2'), topic: 'x' }, now + 17));
  await see('rename', c.updateRoom(sklad, { ...rename('Склад главный'), topic: 'Всё', pinRule: 'owners' }, now + 18));
  await see('rename nothing', c.updateRoom(sklad, { ...rename('Склад главный'), topic: 'Всё' }, now + 18));
  await see('transfer', c.transferOwnership(sklad, g, b, now + 19));
  await see('transfer again', c.transferOwnership(sklad, g, b, now + 19));
  await see('direct', c.openDirect(a, v, now + 20));
  await see('direct back', c.openDirect(v, a, now + 21));
  await see('direct unknown', c.openDirect(a, 987654, now + 21));

  await see('archive sklad2', admin.setArchived(sklad2, true, a, now + 22));
  await see('archive sklad2 again', admin.setArchived(sklad2, true, a, now + 22));
  await see(
    'name free again',
    c.createRoom(
      { kind: 'open', name: 'СКЛАД 2', nameKey: key('СКЛАД 2'), topic: '', ownerId: v, invited: [] },
      now + 23,
    ),
  );
  await see('unarchive taken', admin.setArchived(sklad2, false, a, now + 24));
  await see(
    'admin rename archived',
    admin.rename(sklad2, { name: 'Склад старый', key: key('Склад старый') }, a, now + 25),
  );
  await see('admin rename taken', admin.rename(news, { name: 'Склад старый', key: key('Склад старый') }, a, now + 25));
  await see('unarchive', admin.setArchived(sklad2, false, a, now + 26));
  await see('admin list', admin.list(false));
  await see('admin list all', admin.list(true));
  await see('admin ids', admin.idsByNameKey(key('Склад 2')));

  for (const who of [a, v, g])
    await see(`buh: ${nameOf.get(who)} leaves`, c.removeMember(buh, who, { by: 'self' }, now + 30));
  await see('buh: join archived', c.addMembers(buh, [b], { by: 'self' }, now + 31));

  await see('general', c.generalRoomId());
  for (const id of [sklad, buh, news, sklad2]) {
    await see(`find ${id}`, c.find(id));
    await see(`members ${id}`, c.members(id));
    await see(`member ids ${id}`, c.memberIds(id));
  }
  await see('membership', c.membership(sklad, a));
  await see('membership none', c.membership(987654, a));
  await see('ids by key', c.roomIdsByNameKey(key('склад главный')));
  for (const who of [a, b, v, g]) await see(`list ${nameOf.get(who)}`, c.listFor(who));
  await see('view', c.view(sklad, b));
  return seen;
}

describe.skipIf(!postgresAvailable)('PostgreSQL conversation stores', () => {
  it('answer a script of room changes exactly as the SQLite stores do', { timeout: 120_000 }, async () => {
    const onSqlite = await script('sqlite');
    const onPostgres = await script('postgres');
    expect(onPostgres).toEqual(onSqlite);
    // And the script says what it should (both could be wrong alike otherwise).
    const { b, v, g } = onSqlite.ids as Record<string, number>;
    const names = (label: string) => (onSqlite[label] as { name: string }[]).map((r) => r.name);
    // Most members first, then the name key by its bytes (Latin before Cyrillic), the topic counting.
    expect(names(`browse gleb 'склад' 10`)).toEqual(['Склад', 'Объявления', 'Zeta склад', 'Склад 2']);
    expect(names(`browse gleb '' 2`)).toEqual(['Склад', 'Объявления']);
    expect(names(`browse anna 'остатки' 10`)).toEqual(['Склад']);
    expect(names(`browse gleb 'бух' 10`)).toEqual([]);
    expect(names(`browse vera 'бух' 10`)).toEqual(['Бухгалтерия']);
    // Gleb and Boris came in together; Gleb was put in first, so he is the longest-standing.
    const left = onSqlite['owner leaves sklad'] as { views: { userId: number; conversation: { ownerId: number } }[] };
    expect(left.views.map((view) => [view.userId, view.conversation.ownerId])).toEqual([
      [b, g],
      [v, g],
      [g, g],
    ]);
    expect(onSqlite['buh: gleb leaves']).toMatchObject({ archived: true });
    expect(onSqlite['create taken']).toEqual({ kind: 'refused', reason: 'name_taken' });
    expect(onSqlite['unarchive taken']).toEqual({ kind: 'refused', reason: 'name_taken' });
    expect(onSqlite['buh: join archived']).toEqual({ kind: 'refused', reason: 'not_found' });
  });
});
