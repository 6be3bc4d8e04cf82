import type { Database } from 'better-sqlite3';
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

/** The bots' part of the SQLite {@link IntegrationStore}: each write one IMMEDIATE transaction. */
export function botMethods(db: Database): BotMethods {
  const details = (row: BotRow): BotDetails => ({ ...botRecord(row), rooms: roomsOf(db, row.user_id) });
  const joins = (roomIds: readonly number[], userId: number, now: number): RoomMove[] =>
    roomIds.flatMap((id) => hubJoin(db, id, userId, now));

  const addBot = db.transaction((bot: NewBotRecord, now: number) => {
    // Checked here too: the login may have been taken while the caller hashed.
    if (findUserByLogin(db, bot.login)) return { kind: 'refused', reason: 'login_taken' } as const;
    const { login, name, passwordHash } = bot;
    const userId = insertUser(db, {
      login,
      name,
      passwordHash,
      isAdmin: false,
      isBot: true,
      branch: null,
      email: null,
      createdAt: now,
    });
    const { tokenHash, canEmbed, canManageUsers } = bot;
    insertBot(db, { userId, tokenHash, canEmbed, canManageUsers, now });
    const moves = joins(bot.roomIds, userId, now);
    return { kind: 'added', bot: details(findBotByUserId(db, userId)!), moves } as const;
  });
  const grantBot = db.transaction((userId: number, grant: BotGrantRecord, now: number) => {
    if (!findBotByUserId(db, userId)) return undefined;
    grantBotRights(db, userId, { canEmbed: grant.canEmbed, canManageUsers: grant.canManageUsers });
    const moves = joins(grant.roomIds, userId, now);
    return { bot: details(findBotByUserId(db, userId)!), moves };
  });
  const rotate = db.transaction((userId: number, tokenHash: Buffer, now: number) => {
    if (!findBotByUserId(db, userId)) return undefined;
    setBotToken(db, userId, tokenHash, now);
    setUserDisabled(db, userId, false);
    return details(findBotByUserId(db, userId)!);
  });
  const revokeBot = db.transaction((userId: number, now: number) => {
    if (!findBotByUserId(db, userId)) return false;
    revokeBotToken(db, userId, now);
    setUserDisabled(db, userId, true);
    return true;
  });

  const bot = (row: BotRow | undefined) => row && botRecord(row);
  return {
    findBot: async (login) => bot(findBotByLogin(db, login)),
    findBotByUserId: async (userId) => bot(findBotByUserId(db, userId)),
    findBotByTokenHash: async (tokenHash) => bot(findBotByTokenHash(db, tokenHash)),
    listBots: async () => listBots(db).map(details),
    addBot: async (newBot, now) => addBot.immediate(newBot, now),
    grantBot: async (userId, grant, now) => grantBot.immediate(userId, grant, now),
    rotateBotToken: async (userId, tokenHash, now) => rotate.immediate(userId, tokenHash, now),
    revokeBot: async (userId, now) => revokeBot.immediate(userId, now),
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
