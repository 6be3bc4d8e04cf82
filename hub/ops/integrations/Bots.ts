import { CloseCode } from '../../../common/protocol/errors.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { BotGrant, BotInfo, NewBot } from '../IntegrationTypes.ts';
import type { BotDetails, BotRecord } from '../../store/IntegrationStore.ts';
import { checkLogin, checkName } from './checkAccount.ts';
import { findRoomByName } from './findRoom.ts';
import { publishMoves } from './publishMoves.ts';
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
    const roomIds = await this.roomIds(input.rooms ?? []);
    const passwordHash = await this.password.get();
    const { secret, hash } = newSecret(botTokenPrefix);
    const result = await ctx.store.integrations.addBot(
      {
        login: login.login,
        name: name.name,
        passwordHash,
        tokenHash: hash,
        canEmbed: input.canEmbed ?? false,
        canManageUsers: input.canManageUsers ?? false,
        roomIds,
      },
      ctx.clock(),
    );
    if (result.kind === 'refused') throw new HubError('conflict', `the login "${login.login}" is taken`);
    publishMoves(ctx, result.moves);
    ctx.log.info({ userId: result.bot.userId, rooms: roomIds }, 'bot created');
    return { bot: toInfo(result.bot), token: secret };
  }

  /** Adds rooms and rights to a bot (never takes any away). */
  async grant(loginInput: string, input: BotGrant): Promise<BotInfo> {
    const { ctx } = this;
    const bot = await this.require(loginInput);
    const roomIds = await this.roomIds(input.rooms ?? []);
    const result = await ctx.store.integrations.grantBot(
      bot.userId,
      { canEmbed: input.canEmbed ?? false, canManageUsers: input.canManageUsers ?? false, roomIds },
      ctx.clock(),
    );
    if (!result) throw notFound(loginInput);
    publishMoves(ctx, result.moves);
    return toInfo(result.bot);
  }

  /** Issues a new token (the old one stops working at once) and re-enables a revoked bot. */
  async rotate(loginInput: string): Promise<{ bot: BotInfo; token: string }> {
    const { ctx } = this;
    const bot = await this.require(loginInput);
    const { secret, hash } = newSecret(botTokenPrefix);
    const rotated = await ctx.store.integrations.rotateBotToken(bot.userId, hash, ctx.clock());
    if (!rotated) throw notFound(loginInput);
    // A socket opened with the old token must not outlive it: the bot reconnects with the new one.
    ctx.events.disconnect({ userId: bot.userId }, CloseCode.SessionRevoked, 'bot token replaced');
    ctx.log.info({ userId: bot.userId }, 'bot token rotated');
    return { bot: toInfo(rotated), token: secret };
  }

  /** Ends a bot's token; its account is disabled (its messages keep their author). */
  async revoke(loginInput: string): Promise<void> {
    const { ctx } = this;
    const bot = await this.require(loginInput);
    if (!(await ctx.store.integrations.revokeBot(bot.userId, ctx.clock()))) throw notFound(loginInput);
    ctx.events.disconnect({ userId: bot.userId }, CloseCode.SessionRevoked, 'bot token revoked');
    ctx.log.info({ userId: bot.userId }, 'bot token revoked');
  }

  /** Every bot with its rooms and rights. */
  async list(): Promise<BotInfo[]> {
    return (await this.ctx.store.integrations.listBots()).map(toInfo);
  }

  /** The bot a token belongs to, as an actor; null for anything else (unknown, revoked, disabled). */
  async authenticate(token: string): Promise<Actor | null> {
    if (!isWellFormedSecret(token, botTokenPrefix)) return null;
    const bot = await this.ctx.store.integrations.findBotByTokenHash(hashSecret(token));
    if (!bot || bot.disabled) return null;
    // Bots have no session: 0 never matches one, so nothing session-scoped applies to them.
    return { userId: bot.userId, sessionId: 0, isAdmin: false, isBot: true };
  }

  /** The rights of the bot behind an actor (none for people). */
  async rights(actor: Actor): Promise<{ canEmbed: boolean; canManageUsers: boolean }> {
    if (!actor.isBot || actor.sessionId !== 0) return { canEmbed: false, canManageUsers: false };
    const bot = await this.ctx.store.integrations.findBotByUserId(actor.userId);
    return { canEmbed: bot?.canEmbed === true, canManageUsers: bot?.canManageUsers === true };
  }

  private async require(loginInput: string): Promise<BotRecord> {
    const bot = await this.ctx.store.integrations.findBot(loginInput.trim().toLowerCase());
    if (!bot) throw notFound(loginInput);
    return bot;
  }

  /** Room names to ids; `not_found` naming the first unknown one, `bad_request` for a direct one. */
  private async roomIds(names: readonly string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const name of names.map((n) => n.trim()).filter((n) => n !== '')) {
      const id = await findRoomByName(this.ctx, name);
      if (id === undefined || (await this.ctx.store.conversations.find(id))?.kind === 'direct')
        throw new HubError('not_found', `no room named "${name}"`);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }
}

function notFound(loginInput: string): HubError {
  return new HubError('not_found', `no bot "${loginInput.trim()}" (see: bot list)`);
}

function toInfo(bot: BotDetails): BotInfo {
  return {
    id: bot.userId,
    login: bot.login,
    name: bot.name,
    rooms: bot.rooms,
    canEmbed: bot.canEmbed,
    canManageUsers: bot.canManageUsers,
    active: bot.hasToken && !bot.disabled,
    createdAt: bot.createdAt,
    tokenIssuedAt: bot.tokenIssuedAt,
    callbackUrl: bot.callbackUrl,
  };
}
