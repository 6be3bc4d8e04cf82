import { randomUUID } from 'node:crypto';
import type { Message } from '../../../common/protocol/model.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { HookInfo } from '../IntegrationTypes.ts';
import type { Messaging } from '../Messaging.ts';
import type { Rooms } from '../Rooms.ts';
import type { HookRecord } from '../../store/IntegrationStore.ts';
import { convertBlocks } from './blockKit.ts';
import { checkName } from './checkAccount.ts';
import { findRoomByName } from './findRoom.ts';
import { HookRefusal } from './HookRefusal.ts';
import { normalizeAttachments } from './normalizeAttachments.ts';
import { joinOpenRoom, publishMoves } from './publishMoves.ts';
import { parseTarget, personId } from './resolveTarget.ts';
import { hashSecret, isWellFormedSecret, newSecret } from './secrets.ts';
import { SlackTexts } from './slackMarkup.ts';
import type { UnknowablePassword } from './UnknowablePassword.ts';

const maxDisplayName = 80;

/**
 * Slack-compatible incoming webhooks (the convention Mattermost and Rocket.Chat accept, so
 * Zabbix, Grafana, GitLab and scripts post to Beseda unchanged). Each hook posts to its room as
 * its own bot account; its secret URL is shown once and stored as a SHA-256.
 */
export class Hooks {
  constructor(
    private readonly ctx: HubContext,
    private readonly messaging: Messaging,
    private readonly rooms: Rooms,
    private readonly password: UnknowablePassword,
  ) {}

  /** Creates a hook posting to a room (by name); returns it and its secret (shown only this once). */
  async add(input: { room: string; name?: string; allowChannelOverride?: boolean }): Promise<{
    hook: HookInfo;
    secret: string;
  }> {
    const { ctx } = this;
    const roomId = await findRoomByName(ctx, input.room);
    const room = roomId === undefined ? undefined : await ctx.store.conversations.find(roomId);
    if (!room) throw new HubError('not_found', `no room named "${input.room.trim()}"`);
    const name = checkName(input.name ?? `Webhook: ${room.name}`);
    if (!name.ok) throw new HubError('bad_request', name.reason);
    const passwordHash = await this.password.get();
    const { secret, hash } = newSecret();
    const result = await ctx.store.integrations.addHook(
      {
        conversationId: room.id,
        name: name.name,
        passwordHash,
        secretHash: hash,
        allowOverride: input.allowChannelOverride ?? false,
      },
      ctx.clock(),
    );
    if (result.kind === 'refused') throw new HubError('not_found', `no room named "${input.room.trim()}"`);
    publishMoves(ctx, result.moves);
    ctx.log.info({ hookId: result.hook.id, conversationId: room.id }, 'webhook created');
    return { hook: toInfo(result.hook), secret };
  }

  /** Every hook, revoked ones too (without secrets: those were shown once). */
  async list(): Promise<HookInfo[]> {
    return (await this.ctx.store.integrations.listHooks()).map(toInfo);
  }

  /** Revokes a hook: its URL answers 404 from now on; its bot account is disabled. */
  async revoke(id: number): Promise<void> {
    const { ctx } = this;
    if (!(await ctx.store.integrations.revokeHook(id, ctx.clock())))
      throw new HubError('not_found', `no webhook ${id} (see: hook list)`);
    ctx.log.info({ hookId: id }, 'webhook revoked');
  }

  /**
   * Posts a Slack-style payload through the hook with this secret: text, attachments and Block
   * Kit blocks (a blocks-only payload is fine, as in Slack), every text translated alike
   * ({@link SlackTexts}); a whole-channel mention anywhere shown (`<!here|here>` in Grafana's
   * pretext) notifies as `@all`. Text longer than the hub's limit is refused (`too_long`), not
   * split: an alert cut in pieces reads worse than a clear error in the sender's log. `files`: ids
   * of uploads the hook's bot made for this post ({@link sender}). Refusals name Slack's error
   * word ({@link HookRefusal}) where Slack has one.
   */
  async post(secret: string, payload: unknown, files: string[] = []): Promise<Message> {
    const { ctx } = this;
    const hook = await this.find(secret);
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new HookRefusal('bad_request', 'invalid_payload', 'the payload must be a JSON object');
    const p = payload as Record<string, unknown>;
    const rawText = p.text ?? p.msg;
    if (rawText !== undefined && rawText !== null && typeof rawText !== 'string')
      throw new HookRefusal('bad_request', 'invalid_payload', '"text" must be a string');
    const texts = new SlackTexts();
    const text = texts.mrkdwn(typeof rawText === 'string' ? rawText : '');
    const attachments = normalizeAttachments(p.attachments, texts);
    const blocks = p.blocks === undefined || p.blocks === null ? [] : convertBlocks(p.blocks, texts);
    if (text.trim() === '' && attachments.length === 0 && blocks.length === 0 && files.length === 0)
      throw new HookRefusal('bad_request', 'no_text', '"text", "attachments" or "blocks" is required');
    const actor = senderOf(hook);
    const conversationId = await this.destination(hook, actor, p.channel);
    const displayName = displayNameOf(p.username ?? p.alias);
    const message = await this.messaging
      .post(
        actor,
        { conversationId, clientId: `hook-${randomUUID()}`, text, ...(files.length > 0 ? { files } : {}) },
        {
          attachments,
          blocks,
          cardsSayAll: texts.saysAll,
          ...(displayName === undefined ? {} : { displayName }),
        },
      )
      .catch((err: unknown) => this.archivedRefusal(err, conversationId));
    ctx.log.info({ hookId: hook.id, seq: message.seq }, 'webhook post');
    return message;
  }

  /** A post refused because its room is archived answers as Slack does (`channel_is_archived`). */
  private async archivedRefusal(err: unknown, conversationId: number): Promise<never> {
    if (err instanceof HubError && err.code === 'forbidden') {
      const room = await this.ctx.store.conversations.find(conversationId);
      if (room?.archived) throw new HookRefusal('forbidden', 'channel_is_archived', err.message);
    }
    throw err;
  }

  /**
   * The bot account the hook with this secret posts as (`not_found` if none): the files of a
   * multipart post are uploaded as it, before the post, so they are its own.
   */
  async sender(secret: string): Promise<Actor> {
    return senderOf(await this.find(secret));
  }

  private async find(secret: string): Promise<HookRecord> {
    if (!isWellFormedSecret(secret))
      throw new HookRefusal('not_found', 'invalid_token', 'no such webhook: the address is not one the hub gives out');
    const hook = await this.ctx.store.integrations.findLiveHook(hashSecret(secret));
    if (!hook) throw new HookRefusal('not_found', 'no_service', 'no such webhook (it may have been revoked)');
    return hook;
  }

  /** Where a post goes: the hook's room, or the `channel` it names if the hook allows that. */
  private async destination(hook: HookRecord, actor: Actor, channel: unknown): Promise<number> {
    const { ctx } = this;
    if (channel === undefined || channel === null || channel === '') return hook.conversationId;
    if (typeof channel !== 'string') throw new HubError('bad_request', '"channel" must be a string');
    const target = await parseTarget(ctx, channel);
    if (target.kind === 'room' && target.id === hook.conversationId) return hook.conversationId;
    if (!hook.allowOverride)
      throw new HookRefusal(
        'forbidden',
        'action_prohibited',
        'this webhook posts only to its own room (created without --allow-channel-override)',
      );
    if (target.kind === 'person') {
      const userId = await personId(ctx, actor, target.login).catch((err: unknown) => {
        throw err instanceof HubError && err.code === 'not_found'
          ? new HookRefusal('not_found', 'user_not_found', err.message)
          : err;
      });
      return (await this.rooms.openDirect(actor, { userId })).id;
    }
    if (target.kind === 'unknown-room') throw new HookRefusal('not_found', 'channel_not_found', 'no such conversation');
    // An open room it is not in yet: the hook's bot joins it (visibly) on its first post there.
    // Closed rooms and direct conversations of others stay out of reach (`not_found` on sending).
    const membership = await ctx.store.conversations.membership(target.id, actor.userId);
    if (membership?.conversation.kind === 'open' && !membership.conversation.archived && !membership.member)
      await joinOpenRoom(ctx, target.id, actor.userId);
    return target.id;
  }
}

function senderOf(hook: HookRecord): Actor {
  return { userId: hook.botId, sessionId: 0, isAdmin: false, isBot: true };
}

function displayNameOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  if (name === '') return undefined;
  return [...name].slice(0, maxDisplayName).join('');
}

function toInfo(hook: HookRecord): HookInfo {
  return {
    id: hook.id,
    name: hook.name,
    botLogin: hook.botLogin,
    roomId: hook.conversationId,
    roomName: hook.roomName,
    allowChannelOverride: hook.allowOverride,
    createdAt: hook.createdAt,
    revoked: hook.revoked,
  };
}
