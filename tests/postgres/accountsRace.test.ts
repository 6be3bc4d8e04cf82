// The PostgreSQL account-area stores under concurrent writers on a pool of connections, where
// SQLite's single write lock made each read-then-write atomic: every guard (row locks, unique
// violations answered as refusals) is needed for one of these to pass.
import { describe, expect, it } from 'vitest';
import { postgresAvailable } from '../helpers/postgres.ts';
import { account, h, hubOn, idOf } from './accountFixtures.ts';

describe.skipIf(!postgresAvailable)('PostgreSQL account stores, concurrent writers', () => {
  it(
    "keeps each read-then-write atomic under concurrent writers, as SQLite's write lock did",
    { timeout: 120_000 },
    async () => {
      const { hub, store, now } = await hubOn('postgres');
      const a = store.accounts;
      try {
        // Eight createUser calls for one login at once: one account, seven login_taken.
        const same = await Promise.all(Array.from({ length: 8 }, () => a.createUser(account('twin'))));
        expect(same.filter((o) => o.kind === 'created')).toHaveLength(1);
        expect(same.filter((o) => o.kind === 'refused' && o.reason === 'login_taken')).toHaveLength(7);

        // Two administrators taking each other's rights at once: never none left.
        for (let round = 0; round < 6; round++) {
          const x = idOf(await a.createUser(account(`adm-x${round}`, { isAdmin: true })));
          const y = idOf(await a.createUser(account(`adm-y${round}`, { isAdmin: true })));
          const others = (await a.listUsers()).filter((u) => u.isAdmin && u.id !== x && u.id !== y);
          for (const u of others) await store.adminRights.setAdmin(u.id, false);
          const outcomes = await Promise.all([
            store.adminRights.setAdmin(x, false),
            store.adminRights.setAdmin(y, false),
          ]);
          expect(outcomes.sort()).toEqual(['changed', 'last_admin']);
        }

        // A sign-in racing a disable: the account never ends up disabled with a live session.
        for (let round = 0; round < 6; round++) {
          const id = idOf(await a.createUser(account(`racer${round}`)));
          const [session] = await Promise.all([
            a.createSession({ userId: id, tokenHash: h(`race-${round}`), source: null, scope: 'full', now }),
            a.setDisabled(id, true, now),
          ]);
          const found = await a.findSession(h(`race-${round}`));
          expect(session.kind === 'refused' || found?.revoked === true).toBe(true);
        }

        // One invitation redeemed from five places at once: one session, four 'used'.
        const invited = idOf(await a.createUser(account('invited')));
        await store.onboarding.createInvitation({
          userId: invited,
          codeHash: h('code'),
          createdAt: now,
          expiresAt: now + 1000,
          createdBy: 'cli:root',
        });
        const redeemed = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            store.onboarding.redeem({
              codeHash: h('code'),
              passwordHash: 'p',
              tokenHash: h(`redeem-${i}`),
              source: 'x',
              device: null,
              now,
            }),
          ),
        );
        expect(redeemed.filter((o) => o.kind === 'redeemed')).toHaveLength(1);
        expect(redeemed.filter((o) => o.kind === 'refused' && o.reason === 'used')).toHaveLength(4);

        // One session renewed by four sockets at once: one new session, the others find it ended.
        const s = await a.createSession({
          userId: invited,
          tokenHash: h('to-renew'),
          source: null,
          scope: 'full',
          now,
        });
        if (s.kind !== 'created') throw new Error('no session');
        const renewals = await Promise.all(
          Array.from({ length: 4 }, (_, i) =>
            store.sessionLifetimes.renewSession({ sessionId: s.sessionId, tokenHash: h(`renew-${i}`), now: now + 1 }),
          ),
        );
        expect(renewals.filter((o) => o.kind === 'renewed')).toHaveLength(1);

        // One directory id linked to two accounts at once: one linked, one id_taken.
        const p = idOf(await a.createUser(account('link-p')));
        const q = idOf(await a.createUser(account('link-q')));
        const links = await Promise.all([
          store.directoryLinks.link(p, 'guid-race', 'CN=p'),
          store.directoryLinks.link(q, 'guid-race', 'CN=q'),
        ]);
        expect(links.sort()).toEqual(['id_taken', 'linked']);
      } finally {
        await hub.close();
      }
    },
  );
});
