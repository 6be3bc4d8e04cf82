import { randomUUID } from 'node:crypto';
import type { Message } from '../../common/protocol/model.ts';
import type { Actor } from '../ops/Hub.ts';
import type { HubContext } from '../ops/HubContext.ts';
import type { HubEvent } from '../ops/HubEvent.ts';
import { HubError } from '../ops/HubError.ts';
import type { HookInfo } from '../ops/IntegrationTypes.ts';
import type { Messaging } from '../ops/Messaging.ts';
import type { Rooms } from '../ops/Rooms.ts';
import { findConversation } from '../store/conversations.ts';
import {
  findHook,
  findLiveHookBySecretHash,
  type HookRow,
  insertHook,
  listHooks,
  nextHookId,
  revokeHook,
} from '../store/hooks.ts';
import { findMember } from '../store/members.ts';
import { findUserByLogin, insertUser, setUserDisabled } from '../store/users.ts';
import { checkName } from './checkAccount.ts';
import { findRoomByName } from './findRoom.ts';
import { joinRoom } from './membership.ts';
import { normalizeAttachments } from './normalizeAttachments.ts';
import { parseTarget, personId } from './resolveTarget.ts';
import { hashSecret, isWellFormedSecret, newSecret } from './secrets.ts';
import { translateSlackMarkup } from './slackMarkup.ts';
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
    const roomId = findRoomByName(ctx.db, input.room);
    if (roomId === undefined) throw new HubError('not_found', `no room named "${input.room.trim()}"`);
    const name = checkName(input.name ?? `Webhook: ${findConversation(ctx.db, roomId)!.name}`);
    if (!name.ok) throw new HubError('bad_request', name.reason);
    const passwordHash = await this.password.get();
    const { secret, hash } = newSecret();
    const events: HubEvent[] = [];
    const now = ctx.clock();
    const id = ctx.db
      .transaction(() => {
        let n = nextHookId(ctx.db);
        while (findUserByLogin(ctx.db, `hook-${n}`)) n++;
        const botId = insertUser(ctx.db, {
          login: `hook-${n}`,
          name: name.name,
          passwordHash,
          isAdmin: false,
          isBot: true,
          branch: null,
          email: null,
          createdAt: now,
        });
        const hookId = insertHook(ctx.db, {
          secretHash: hash,
          botId,
          conversationId: roomId,
          name: name.name,
          allowOverride: input.allowChannelOverride ?? false,
          now,
        });
        events.push(...joinRoom(ctx, roomId, botId));
        return hookId;
      })
      .immediate();
    for (const event of events) ctx.events.publish(event);
    ctx.log.info({ hookId: id, conversationId: roomId }, 'webhook created');
    return { hook: toInfo(findHook(ctx.db, id)!), secret };
  }

  /** Every hook, revoked ones too (without secrets: those were shown once). */
  async list(): Promise<HookInfo[]> {
    return listHooks(this.ctx.db).map(toInfo);
  }

  /** Revokes a hook: its URL answers 404 from now on; its bot account is disabled. */
  async revoke(id: number): Promise<void> {
    const { ctx } = this;
    const hook = findHook(ctx.db, id);
    if (!hook) throw new HubError('not_found', `no webhook ${id} (see: hook list)`);
    ctx.db
      .transaction(() => {
        revokeHook(ctx.db, id, ctx.clock());
        setUserDisabled(ctx.db, hook.bot_id, true);
      })
      .immediate();
    ctx.log.info({ hookId: id }, 'webhook revoked');
  }

  /**
   * Posts a Slack-style payload through the hook with this secret. Text longer than the hub's
   * limit is refused (`too_long`), not split: an alert cut in pieces reads worse than a clear error
   * in the sender's log.
   */
  async post(secret: string, payload: unknown): Promise<Message> {
    const { ctx } = this;
    const hook = isWellFormedSecret(secret) ? findLiveHookBySecretHash(ctx.db, hashSecret(secret)) : undefined;
    if (!hook) throw new HubError('not_found', 'no such webhook (it may have been revoked)');
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      throw new HubError('bad_request', 'the payload must be a JSON object');
    const p = payload as Record<string, unknown>;
    const rawText = p.text ?? p.msg;
    if (rawText !== undefined && rawText !== null && typeof rawText !== 'string')
      throw new HubError('bad_request', '"text" must be a string');
    const text = translateSlackMarkup(typeof rawText === 'string' ? rawText : '');
    const attachments = normalizeAttachments(p.attachments);
    if (text.trim() === '' && attachments.length === 0)
      throw new HubError('bad_request', '"text" or "attachments" is required');
    const actor: Actor = { userId: hook.bot_id, sessionId: 0, isAdmin: false, isBot: true };
    const conversationId = await this.destination(hook, actor, p.channel);
    const displayName = displayNameOf(p.username ?? p.alias);
    const message = await this.messaging.post(
      actor,
      { conversationId, clientId: `hook-${randomUUID()}`, text },
      displayName === undefined ? { attachments } : { displayName, attachments },
    );
    ctx.log.info({ hookId: hook.id, seq: message.seq }, 'webhook post');
    return message;
  }

  /** Where a post goes: the hook's room, or the `channel` it names if the hook allows that. */
  private async destination(hook: HookRow, actor: Actor, channel: unknown): Promise<number> {
    const { ctx } = this;
    if (channel === undefined || channel === null || channel === '') return hook.conversation_id;
    if (typeof channel !== 'string') throw new HubError('bad_request', '"channel" must be a string');
    const target = parseTarget(ctx, channel);
    if (target.kind === 'room' && target.id === hook.conversation_id) return hook.conversation_id;
    if (hook.allow_override === 0)
      throw new HubError(
        'forbidden',
        'this webhook posts only to its own room (created without --allow-channel-override)',
      );
    if (target.kind === 'person') {
      return (await this.rooms.openDirect(actor, { userId: personId(ctx, actor, target.login) })).id;
    }
    if (target.kind === 'unknown-room') throw new HubError('not_found', 'no such conversation');
    // An open room it is not in yet: the hook's bot joins it (visibly) on its first post there.
    // Closed rooms and direct conversations of others stay out of reach (`not_found` on sending).
    const conversation = findConversation(ctx.db, target.id);
    if (conversation?.kind === 'open' && conversation.archived === 0 && !findMember(ctx.db, target.id, actor.userId)) {
      const events = ctx.db.transaction(() => joinRoom(ctx, target.id, actor.userId)).immediate();
      for (const event of events) ctx.events.publish(event);
    }
    return target.id;
  }
}

function displayNameOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const name = value.trim();
  if (name === '') return undefined;
  return [...name].slice(0, maxDisplayName).join('');
}

function toInfo(row: HookRow): HookInfo {
  return {
    id: row.id,
    name: row.name,
    botLogin: row.bot_login,
    roomId: row.conversation_id,
    roomName: row.room_name,
    allowChannelOverride: row.allow_override === 1,
    createdAt: row.created_at,
    revoked: row.revoked_at !== null,
  };
}
