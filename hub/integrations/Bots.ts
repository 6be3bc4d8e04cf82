import type { Actor } from '../ops/Hub.ts';
import type { HubContext } from '../ops/HubContext.ts';
import type { HubEvent } from '../ops/HubEvent.ts';
import { HubError } from '../ops/HubError.ts';
import type { BotGrant, BotInfo, NewBot } from '../ops/IntegrationTypes.ts';
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
} from '../store/bots.ts';
import { findConversation } from '../store/conversations.ts';
import { findUserByLogin, insertUser, setUserDisabled } from '../store/users.ts';
import { checkLogin, checkName } from './checkAccount.ts';
import { findRoomByName } from './findRoom.ts';
import { joinRoom } from './membership.ts';
import { botTokenPrefix, hashSecret, isWellFormedSecret, newSecret } from './secrets.ts';
import type { UnknowablePassword } from './UnknowablePassword.ts';

/**
 * Bots: integration identities (1C, scripts) with a secret token. A bot is an account with
 * `isBot`, a member of the rooms it was given; it may also write to any active person directly.
 * Its token is shown once and stored as a SHA-256; `bot token` rotates it, `bot revoke` ends it.
 */
export class Bots {
  constructor(
    private readonly ctx: HubContext,
    private readonly password: UnknowablePassword,
  ) {}

  /** Creates a bot in the given rooms; returns it with its token (shown only this once). */
  async add(input: NewBot): Promise<{ bot: BotInfo; token: string }> {
    const { ctx } = this;
    const login = checkLogin(input.login);
    if (!login.ok) throw new HubError('bad_request', login.reason);
    const name = checkName(input.name ?? input.login);
    if (!name.ok) throw new HubError('bad_request', name.reason);
    const roomIds = this.roomIds(input.rooms ?? []);
    const passwordHash = await this.password.get();
    const { secret, hash } = newSecret(botTokenPrefix);
    const events: HubEvent[] = [];
    const now = ctx.clock();
    ctx.db
      .transaction(() => {
        if (findUserByLogin(ctx.db, login.login)) throw new HubError('conflict', `the login "${login.login}" is taken`);
        const userId = insertUser(ctx.db, {
          login: login.login,
          name: name.name,
          passwordHash,
          isAdmin: false,
          isBot: true,
          branch: null,
          email: null,
          createdAt: now,
        });
        insertBot(ctx.db, {
          userId,
          tokenHash: hash,
          canEmbed: input.canEmbed ?? false,
          canManageUsers: input.canManageUsers ?? false,
          now,
        });
        for (const id of roomIds) events.push(...joinRoom(ctx, id, userId));
      })
      .immediate();
    for (const event of events) ctx.events.publish(event);
    const bot = this.info(this.require(login.login));
    ctx.log.info({ userId: bot.id, rooms: roomIds }, 'bot created');
    return { bot, token: secret };
  }

  /** Adds rooms and rights to a bot (never takes any away). */
  async grant(loginInput: string, input: BotGrant): Promise<BotInfo> {
    const { ctx } = this;
    const bot = this.require(loginInput);
    const roomIds = this.roomIds(input.rooms ?? []);
    const events: HubEvent[] = [];
    ctx.db
      .transaction(() => {
        grantBotRights(ctx.db, bot.user_id, {
          canEmbed: input.canEmbed ?? false,
          canManageUsers: input.canManageUsers ?? false,
        });
        for (const id of roomIds) events.push(...joinRoom(ctx, id, bot.user_id));
      })
      .immediate();
    for (const event of events) ctx.events.publish(event);
    return this.info(this.require(loginInput));
  }

  /** Issues a new token (the old one stops working at once) and re-enables a revoked bot. */
  async rotate(loginInput: string): Promise<{ bot: BotInfo; token: string }> {
    const { ctx } = this;
    const bot = this.require(loginInput);
    const { secret, hash } = newSecret(botTokenPrefix);
    ctx.db
      .transaction(() => {
        setBotToken(ctx.db, bot.user_id, hash, ctx.clock());
        setUserDisabled(ctx.db, bot.user_id, false);
      })
      .immediate();
    ctx.log.info({ userId: bot.user_id }, 'bot token rotated');
    return { bot: this.info(this.require(loginInput)), token: secret };
  }

  /** Ends a bot's token; its account is disabled (its messages keep their author). */
  async revoke(loginInput: string): Promise<void> {
    const { ctx } = this;
    const bot = this.require(loginInput);
    ctx.db
      .transaction(() => {
        revokeBotToken(ctx.db, bot.user_id, ctx.clock());
        setUserDisabled(ctx.db, bot.user_id, true);
      })
      .immediate();
    ctx.log.info({ userId: bot.user_id }, 'bot token revoked');
  }

  /** Every bot with its rooms and rights. */
  async list(): Promise<BotInfo[]> {
    return listBots(this.ctx.db).map((row) => this.info(row));
  }

  /** The bot a token belongs to, as an actor; null for anything else (unknown, revoked, disabled). */
  authenticate(token: string): Actor | null {
    if (!isWellFormedSecret(token, botTokenPrefix)) return null;
    const row = findBotByTokenHash(this.ctx.db, hashSecret(token));
    if (!row || row.disabled === 1) return null;
    // Bots have no session: 0 never matches one, so nothing session-scoped applies to them.
    return { userId: row.user_id, sessionId: 0, isAdmin: false, isBot: true };
  }

  /** The rights of the bot behind an actor (none for people). */
  rights(actor: Actor): { canEmbed: boolean; canManageUsers: boolean } {
    if (!actor.isBot || actor.sessionId !== 0) return { canEmbed: false, canManageUsers: false };
    const row = findBotByUserId(this.ctx.db, actor.userId);
    return { canEmbed: row?.can_embed === 1, canManageUsers: row?.can_manage_users === 1 };
  }

  private require(loginInput: string): BotRow {
    const row = findBotByLogin(this.ctx.db, loginInput.trim().toLowerCase());
    if (!row) throw new HubError('not_found', `no bot "${loginInput.trim()}" (see: bot list)`);
    return row;
  }

  /** Room names to ids; `not_found` naming the first unknown one, `bad_request` for a direct one. */
  private roomIds(names: readonly string[]): number[] {
    const ids: number[] = [];
    for (const name of names.map((n) => n.trim()).filter((n) => n !== '')) {
      const id = findRoomByName(this.ctx.db, name);
      if (id === undefined || findConversation(this.ctx.db, id)?.kind === 'direct')
        throw new HubError('not_found', `no room named "${name}"`);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  private info(row: BotRow): BotInfo {
    return {
      id: row.user_id,
      login: row.login,
      name: row.name,
      rooms: roomsOf(this.ctx.db, row.user_id),
      canEmbed: row.can_embed === 1,
      canManageUsers: row.can_manage_users === 1,
      active: row.token_hash !== null && row.disabled === 0,
      createdAt: row.created_at,
      tokenIssuedAt: row.token_issued_at,
    };
  }
}
