import type { Database } from 'better-sqlite3';
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
import { findUserByLogin, insertUser, setUserDisabled } from './users.ts';
import { hubJoin } from './directoryWrites.ts';

type HookMethods = Pick<IntegrationStore, 'addHook' | 'listHooks' | 'findHook' | 'findLiveHook' | 'revokeHook'>;

/** The webhooks' part of the SQLite {@link IntegrationStore}: each write one IMMEDIATE transaction. */
export function hookMethods(db: Database): HookMethods {
  const addHook = db.transaction((hook: NewHookRecord, now: number) => {
    if (!findConversation(db, hook.conversationId)) return { kind: 'refused', reason: 'not_found' } as const;
    // Hook bots are named after the hook's id; a person may have taken such a login meanwhile.
    let n = nextHookId(db);
    while (findUserByLogin(db, `hook-${n}`)) n++;
    const botId = insertUser(db, {
      login: `hook-${n}`,
      name: hook.name,
      passwordHash: hook.passwordHash,
      isAdmin: false,
      isBot: true,
      branch: null,
      email: null,
      createdAt: now,
    });
    const { secretHash, conversationId, name, allowOverride } = hook;
    const id = insertHook(db, { secretHash, botId, conversationId, name, allowOverride, now });
    const moves = hubJoin(db, conversationId, botId, now);
    return { kind: 'added', hook: hookRecord(findHook(db, id)!), moves } as const;
  });
  const revokeHookAndBot = db.transaction((id: number, now: number) => {
    const hook = findHook(db, id);
    if (!hook) return false;
    revokeHook(db, id, now);
    setUserDisabled(db, hook.bot_id, true);
    return true;
  });

  const hook = (row: HookRow | undefined) => row && hookRecord(row);
  return {
    addHook: async (newHook, now) => addHook.immediate(newHook, now),
    listHooks: async () => listHooks(db).map(hookRecord),
    findHook: async (id) => hook(findHook(db, id)),
    findLiveHook: async (secretHash) => hook(findLiveHookBySecretHash(db, secretHash)),
    revokeHook: async (id, now) => revokeHookAndBot.immediate(id, now),
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
