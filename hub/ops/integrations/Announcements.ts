import { randomUUID } from 'node:crypto';
import type { Message } from '../../../common/protocol/model.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { AnnounceInput, AnnouncementStatus } from '../IntegrationTypes.ts';
import type { Messaging } from '../Messaging.ts';
import { normalizeAttachments } from './normalizeAttachments.ts';
import { joinOpenRoom } from './publishMoves.ts';
import { parseTarget } from './resolveTarget.ts';
import { recordAudit } from '../AuditLog.ts';

/** The most pending announcements a client is given at once (oldest first). */
const pendingLimit = 200;

/**
 * Announcements: a message (`kind: 'announcement'`) from an administrator or a bot to everyone
 * (the general room), a branch (its room) or a room, which every member must confirm. The sender
 * and administrators see who has and has not confirmed.
 */
export class Announcements {
  constructor(
    private readonly ctx: HubContext,
    private readonly messaging: Messaging,
  ) {}

  /**
   * Posts an announcement. `actor` null is the admin CLI: it posts as `from` (an administrator's or
   * a bot's login), by default as the first active administrator. People who are neither
   * administrators nor bots get `forbidden`. A bot reaches only the rooms it was given; an
   * administrator announcing to an open room (a branch room) they are not in joins it.
   */
  async announce(actor: Actor | null, input: AnnounceInput & { from?: string }): Promise<Message> {
    const { ctx } = this;
    const sender = actor ?? (await this.cliSender(input.from));
    if (!sender.isAdmin && !sender.isBot)
      throw new HubError('forbidden', 'only administrators and integrations post announcements');
    const conversationId = await this.destination(input.to);
    if (sender.isAdmin) {
      const membership = await ctx.store.conversations.membership(conversationId, sender.userId);
      if (membership?.conversation.kind === 'open' && !membership.conversation.archived && !membership.member)
        await joinOpenRoom(ctx, conversationId, sender.userId);
    }
    if (typeof input.text !== 'string') throw new HubError('bad_request', '"text" must be a string');
    const message = await this.messaging.post(
      sender,
      { conversationId, clientId: input.clientId ?? `ann-${randomUUID()}`, text: input.text },
      { kind: 'announcement', attachments: normalizeAttachments(input.attachments) },
    );
    ctx.log.info({ seq: message.seq, userId: sender.userId, conversationId }, 'announcement posted');
    // Through the HTTP API (the admin CLI, actor null, is recorded where admin commands run).
    if (actor)
      await recordAudit(ctx, actor, 'api', 'announce', typeof input.to === 'number' ? `${input.to}` : input.to, {
        conversationId,
        seq: message.seq,
        textLength: input.text.length,
      });
    return message;
  }

  /** Records that the actor has read an announcement in a conversation they are in (idempotent). */
  async confirm(actor: Actor, seq: number): Promise<void> {
    const { ctx } = this;
    const outcome = await ctx.store.integrations.confirmAnnouncement(seq, actor.userId, ctx.clock());
    // Someone outside the conversation learns nothing about it.
    if (outcome.kind === 'refused') throw new HubError('not_found', 'no such announcement');
    if (!outcome.first) return;
    // The user's other devices unpin it too.
    ctx.events.publish({
      audience: { to: 'users', userIds: [actor.userId] },
      frame: { type: 'announcement.confirmed', seq },
    });
  }

  /** Who has and has not confirmed: for its sender and administrators (null: the admin CLI). */
  async status(actor: Actor | null, seq: number): Promise<AnnouncementStatus> {
    const { ctx } = this;
    const row = await ctx.store.integrations.findAnnouncement(seq);
    if (!row) throw new HubError('not_found', 'no such announcement');
    if (actor && !actor.isAdmin && actor.userId !== row.senderId) {
      if ((await ctx.store.conversations.membership(row.conversationId, actor.userId))?.member)
        throw new HubError('forbidden', 'only its sender and administrators see who confirmed an announcement');
      throw new HubError('not_found', 'no such announcement');
    }
    const status: AnnouncementStatus = {
      seq: row.seq,
      conversationId: row.conversationId,
      senderId: row.senderId,
      ts: row.ts,
      confirmed: [],
      pending: [],
    };
    for (const r of await ctx.store.integrations.announcementRecipients(row)) {
      const who = { userId: r.userId, login: r.login, name: r.name };
      if (r.confirmedAt === null) status.pending.push(who);
      else status.confirmed.push({ ...who, at: r.confirmedAt });
    }
    status.confirmed.sort((a, b) => a.at - b.at || a.userId - b.userId);
    return status;
  }

  /** The announcements the actor still has to confirm, oldest first: clients keep them pinned. */
  async pending(actor: Actor): Promise<Message[]> {
    return this.ctx.store.integrations.pendingAnnouncements(actor.userId, pendingLimit);
  }

  /** `all`, `branch:NAME`, `#room`, a room name or id. Direct conversations are not for announcements. */
  private async destination(to: AnnounceInput['to']): Promise<number> {
    const { ctx } = this;
    if (typeof to === 'string') {
      const target = to.trim();
      if (target.toLowerCase() === 'all' || target.toLowerCase() === 'все')
        return ctx.store.conversations.generalRoomId();
      const branch = /^(?:branch|филиал):(.+)$/i.exec(target);
      if (branch) {
        const id = await ctx.store.integrations.branchRoomId(branch[1]!.trim());
        if (id === undefined) throw new HubError('not_found', `no branch "${branch[1]!.trim()}" (nobody is in it)`);
        return id;
      }
    }
    const parsed = await parseTarget(ctx, to);
    if (parsed.kind === 'person')
      throw new HubError('bad_request', 'an announcement goes to "all", "branch:NAME" or a room, not to a person');
    if (parsed.kind === 'unknown-room') throw new HubError('not_found', 'no such conversation');
    // Direct conversations are not for announcements, and others' are not even to be known.
    if ((await ctx.store.conversations.find(parsed.id))?.kind === 'direct')
      throw new HubError('not_found', 'no such room');
    return parsed.id;
  }

  private async cliSender(from: string | undefined): Promise<Actor> {
    const { accounts } = this.ctx.store;
    const account =
      from !== undefined
        ? await accounts.findUserByLogin(from.trim().toLowerCase())
        : await accounts.firstActiveAdmin();
    if (!account) throw new HubError('not_found', from ? `no account "${from}"` : 'there is no active administrator');
    if (account.disabled) throw new HubError('forbidden', `the account "${account.login}" is disabled`);
    return { userId: account.id, sessionId: 0, isAdmin: account.isAdmin, isBot: account.isBot };
  }
}
