import { findConversation } from './conversations.ts';
import {
  findHook,
  findLiveHookBySecretHash,
  type HookRow,
  insertHook,
  listHooks,
  nextHookId,
  revokeHook,
} from './hooks.ts';
import type { HookRecord, IntegrationStore, NewHookRecord } from '../IntegrationStore.ts';
import { integrationTx } from './integrationTx.ts';
import type { PgDatabase } from './PgDatabase.ts';
import { findUserByLogin, insertUser, setUserDisabled } from './users.ts';
import { hubJoin } from './directoryWrites.ts';

type HookMethods = Pick<IntegrationStore, 'addHook' | 'listHooks' | 'findHook' | 'findLiveHook' | 'revokeHook'>;

/** The webhooks' part of the PostgreSQL {@link IntegrationStore}: each write one transaction. */
export function hookMethods(db: PgDatabase): HookMethods {
  const hook = (row: HookRow | undefined) => row && hookRecord(row);
  return {
    addHook: (newHook: NewHookRecord, now: number) =>
      // Two concurrent additions pick the same id and login: the loser's insert fails and it is
      // run again, finding the next ones.
      integrationTx(db, async (q) => {
        if (!(await findConversation(q, newHook.conversationId)))
          return { kind: 'refused', reason: 'not_found' } as const;
        // Hook bots are named after the hook's id; a person may have taken such a login meanwhile.
        const id = await nextHookId(q);
        let n = id;
        while (await findUserByLogin(q, `hook-${n}`)) n++;
        const botId = await insertUser(q, {
          login: `hook-${n}`,
          name: newHook.name,
          passwordHash: newHook.passwordHash,
          isAdmin: false,
          isBot: true,
          branch: null,
          email: null,
          createdAt: now,
        });
        const { secretHash, conversationId, name, allowOverride } = newHook;
        await insertHook(q, { id, secretHash, botId, conversationId, name, allowOverride, now });
        const moves = await hubJoin(q, conversationId, botId, now);
        return { kind: 'added', hook: hookRecord((await findHook(q, id))!), moves } as const;
      }),
    listHooks: async () => (await listHooks(db)).map(hookRecord),
    findHook: async (id) => hook(await findHook(db, id)),
    findLiveHook: async (secretHash) => hook(await findLiveHookBySecretHash(db, secretHash)),
    revokeHook: (id, now) =>
      db.tx(async (q) => {
        const row = await findHook(q, id);
        if (!row) return false;
        await revokeHook(q, id, now);
        await setUserDisabled(q, row.bot_id, true);
        return true;
      }),
  };
}

function hookRecord(row: HookRow): HookRecord {
  return {
    id: row.id,
    botId: row.bot_id,
    botLogin: row.bot_login,
    conversationId: row.conversation_id,
    roomName: row.room_name,
    name: row.name,
    allowOverride: row.allow_override === 1,
    createdAt: row.created_at,
    revoked: row.revoked_at !== null,
  };
}
