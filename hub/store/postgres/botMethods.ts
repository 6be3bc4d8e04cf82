import {
  type BotRow,
  findBotByLogin,
  findBotByTokenHash,
  findBotByUserId,
  grantBotRights,
  insertBot,
  listBots,
  revokeBotToken,
  roomsOf,
  setBotToken,
} from './bots.ts';
import type {
  BotDetails,
  BotGrantRecord,
  BotRecord,
  IntegrationStore,
  NewBotRecord,
  RoomMove,
} from '../IntegrationStore.ts';
import { integrationTx } from './integrationTx.ts';
import type { PgDatabase, PgQueryable } from './PgDatabase.ts';
import { findUserByLogin, insertUser, setUserDisabled } from './users.ts';
import { hubJoin } from './directoryWrites.ts';

type BotMethods = Pick<
  IntegrationStore,
  | 'findBot'
  | 'findBotByUserId'
  | 'findBotByTokenHash'
  | 'listBots'
  | 'addBot'
  | 'grantBot'
  | 'rotateBotToken'
  | 'revokeBot'
>;

async function details(q: PgQueryable, row: BotRow): Promise<BotDetails> {
  return { ...botRecord(row), rooms: await roomsOf(q, row.user_id) };
}

async function joins(q: PgQueryable, roomIds: readonly number[], userId: number, now: number): Promise<RoomMove[]> {
  // One after another: the statements of a transaction share its one connection.
  const moves: RoomMove[] = [];
  for (const id of roomIds) moves.push(...(await hubJoin(q, id, userId, now)));
  return moves;
}

/** The bots' part of the PostgreSQL {@link IntegrationStore}: each write one transaction. */
export function botMethods(db: PgDatabase): BotMethods {
  const bot = (row: BotRow | undefined) => row && botRecord(row);
  return {
    findBot: async (login) => bot(await findBotByLogin(db, login)),
    findBotByUserId: async (userId) => bot(await findBotByUserId(db, userId)),
    findBotByTokenHash: async (tokenHash) => bot(await findBotByTokenHash(db, tokenHash)),
    listBots: () =>
      // On one connection: the list and every bot's rooms, without a pool checkout per query.
      db.tx(async (q) => {
        const out: BotDetails[] = [];
        for (const row of await listBots(q)) out.push(await details(q, row));
        return out;
      }),
    addBot: (newBot: NewBotRecord, now: number) =>
      // A concurrent taker of the login makes the insert fail; the retry then finds it taken.
      integrationTx(db, async (q) => {
        if (await findUserByLogin(q, newBot.login)) return { kind: 'refused', reason: 'login_taken' } as const;
        const { login, name, passwordHash } = newBot;
        const userId = await insertUser(q, {
          login,
          name,
          passwordHash,
          isAdmin: false,
          isBot: true,
          branch: null,
          email: null,
          createdAt: now,
        });
        const { tokenHash, canEmbed, canManageUsers } = newBot;
        await insertBot(q, { userId, tokenHash, canEmbed, canManageUsers, now });
        const moves = await joins(q, newBot.roomIds, userId, now);
        return { kind: 'added', bot: await details(q, (await findBotByUserId(q, userId))!), moves } as const;
      }),
    grantBot: (userId: number, grant: BotGrantRecord, now: number) =>
      integrationTx(db, async (q) => {
        if (!(await findBotByUserId(q, userId))) return undefined;
        await grantBotRights(q, userId, { canEmbed: grant.canEmbed, canManageUsers: grant.canManageUsers });
        const moves = await joins(q, grant.roomIds, userId, now);
        return { bot: await details(q, (await findBotByUserId(q, userId))!), moves };
      }),
    rotateBotToken: (userId, tokenHash, now) =>
      db.tx(async (q) => {
        if (!(await findBotByUserId(q, userId))) return undefined;
        await setBotToken(q, userId, tokenHash, now);
        await setUserDisabled(q, userId, false);
        return details(q, (await findBotByUserId(q, userId))!);
      }),
    revokeBot: (userId, now) =>
      db.tx(async (q) => {
        if (!(await findBotByUserId(q, userId))) return false;
        await revokeBotToken(q, userId, now);
        await setUserDisabled(q, userId, true);
        return true;
      }),
  };
}

function botRecord(row: BotRow): BotRecord {
  return {
    userId: row.user_id,
    login: row.login,
    name: row.name,
    disabled: row.disabled === 1,
    hasToken: row.token_hash !== null,
    canEmbed: row.can_embed === 1,
    canManageUsers: row.can_manage_users === 1,
    createdAt: row.created_at,
    tokenIssuedAt: row.token_issued_at,
    callbackUrl: row.callback_url,
  };
}
