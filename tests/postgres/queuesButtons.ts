import { describe, expect, it } from 'vitest';
import type { ClickRequest } from '../../hub/store/ButtonStore.ts';
import type { PgDatabase } from '../../hub/store/postgres/PgDatabase.ts';
import type { Store } from '../../hub/store/Store.ts';
import { ids, storeMessage } from './queuesSeed.ts';

/** The PostgreSQL ButtonStore's tests (run from queues.test.ts, which owns the test cluster). */
export function buttonTests(fresh: () => Promise<{ url: string; store: Store; db: PgDatabase }>): void {
  describe('buttons', () => {
    const click = (over: Partial<ClickRequest>): ClickRequest => ({
      seq: 1,
      actionId: 'ok',
      userId: ids.alice,
      clientId: 'k1',
      multi: false,
      ts: 5,
      ...over,
    });

    it('claimClick, findClick, recordOutcome and releaseClick', async () => {
      const { store, db } = await fresh();
      const bs = store.buttons;
      await db.tx((q) => storeMessage(q, { seq: 1, conversationId: ids.room, senderId: ids.onec }));
      expect(await bs.findClick(ids.alice, 'k1')).toBeUndefined();
      const first = await bs.claimClick(click({}));
      expect(first).toEqual({ kind: 'claimed', clickId: expect.any(Number) });
      const clickId = (first as { clickId: number }).clickId;
      // Counted, its call still running.
      expect(await bs.findClick(ids.alice, 'k1')).toBeNull();
      expect(await bs.claimClick(click({}))).toEqual({ kind: 'repeat', outcome: null });
      // Another clientId on a one-click action; another person may.
      expect(await bs.claimClick(click({ clientId: 'k2' }))).toEqual({ kind: 'already_clicked' });
      expect((await bs.claimClick(click({ userId: ids.bob })))?.kind).toBe('claimed');
      // The bot's outcome is kept for retries.
      await bs.recordOutcome(clickId, { outcome: 'ephemeral', text: 'Принято' });
      expect(await bs.findClick(ids.alice, 'k1')).toEqual({ outcome: 'ephemeral', text: 'Принято' });
      expect(await bs.claimClick(click({}))).toEqual({
        kind: 'repeat',
        outcome: { outcome: 'ephemeral', text: 'Принято' },
      });
      // Released (the bot refused): the person may click again.
      await bs.releaseClick(clickId);
      expect(await bs.findClick(ids.alice, 'k1')).toBeUndefined();
      expect((await bs.claimClick(click({ clientId: 'k3' })))?.kind).toBe('claimed');
      // A multi-click action counts every clientId.
      expect((await bs.claimClick(click({ actionId: 'more', clientId: 'm1', multi: true })))?.kind).toBe('claimed');
      expect((await bs.claimClick(click({ actionId: 'more', clientId: 'm2', multi: true })))?.kind).toBe('claimed');
    });

    it('one person clicking a one-click button from many devices at once is counted once', async () => {
      const { store, db } = await fresh();
      await db.tx((q) => storeMessage(q, { seq: 1, conversationId: ids.room, senderId: ids.onec }));
      for (let round = 0; round < 5; round++) {
        const claims = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.buttons.claimClick(click({ actionId: `a${round}`, clientId: `r${round}-${i}` })),
          ),
        );
        expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
        expect(claims.filter((c) => c.kind === 'already_clicked')).toHaveLength(7);
      }
      // The same clientId from two sockets at once: one claimed, one repeat.
      const same = await Promise.all([
        store.buttons.claimClick(click({ actionId: 'z', clientId: 'same' })),
        store.buttons.claimClick(click({ actionId: 'z', clientId: 'same' })),
      ]);
      expect(same.map((c) => c.kind).sort()).toEqual(['claimed', 'repeat']);
    });

    it('addCommand, removeCommand, listCommands and findCommand', async () => {
      const { store } = await fresh();
      const bs = store.buttons;
      const stock = { name: '/остаток', description: 'Остаток на складе', usage: '<артикул>', botId: ids.onec };
      const ask = { name: '/ask', description: '', usage: '', botId: ids.crm };
      expect(await bs.listCommands()).toEqual([]);
      expect(await bs.addCommand(stock, 1)).toBe(true);
      expect(await bs.addCommand(ask, 2)).toBe(true);
      expect(await bs.addCommand({ ...stock, botId: ids.crm }, 3)).toBe(false); // taken
      // By name in byte order, as SQLite sorts ('/ask' before '/остаток').
      expect(await bs.listCommands()).toEqual([ask, stock]);
      expect(await bs.findCommand('/остаток')).toEqual(stock);
      expect(await bs.findCommand('/nothing')).toBeUndefined();
      expect(await bs.removeCommand('/ask')).toBe(true);
      expect(await bs.removeCommand('/ask')).toBe(false);
      expect(await bs.listCommands()).toEqual([stock]);
    });
  });
}
