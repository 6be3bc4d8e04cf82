import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { Conversation, Member, RoomSummary } from '../../common/protocol/model.ts';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { MemberView, RoomUpdate } from '../store/ConversationStore.ts';
import { notFound, requireMember, requireVisible } from './access.ts';
import { refuseArchived } from './archivedRoom.ts';
import { recordAudit, roomTarget } from './AuditLog.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { checkTopic, refusalError, requireOwner, requireRoom, roomName } from './roomRules.ts';
import { conversationEvents, publishAdded, publishChanged, publishRemoved } from './systemMessages.ts';

const defaultBrowseLimit = 50;
const maxBrowseLimit = 200;

/**
 * Rooms, membership and direct conversations. The rules (who may do what, to which kind of
 * conversation) are checked here on what the store shows; each change is then one atomic store
 * call that re-checks what may have changed meanwhile, and what it stored is published after.
 */
export class Rooms {
  constructor(private readonly ctx: HubContext) {}

  /** Creates an open or closed room owned by the actor, with the given people in it. */
  async createRoom(actor: Actor, p: ParamsOf<'rooms.create'>): Promise<Conversation> {
    const { ctx } = this;
    const { name, key } = roomName(p.name, false);
    const topic = checkTopic(p.topic ?? '');
    if (p.kind !== 'open' && p.kind !== 'closed') throw new HubError('bad_request', 'a room is open or closed');
    const room = { kind: p.kind, name, nameKey: key, topic, ownerId: actor.userId, invited: p.members ?? [] };
    const created = await ctx.store.conversations.createRoom(room, ctx.clock());
    if (created.kind === 'refused') throw refusalError(created.reason, name);
    publishChanged(ctx, created);
    ctx.log.info({ conversationId: created.conversationId, userId: actor.userId, kind: p.kind }, 'room created');
    await recordAudit(ctx, actor, 'app', 'room.create', `#${name}`, {
      conversationId: created.conversationId,
      kind: p.kind,
      invited: room.invited.length,
    });
    return this.seenBy(created.views, created.conversationId, actor.userId);
  }

  /** Open rooms, and closed rooms the actor is in, matching a query. */
  async browseRooms(actor: Actor, p: ParamsOf<'rooms.browse'>): Promise<RoomSummary[]> {
    const limit = Math.max(1, Math.min(p.limit ?? defaultBrowseLimit, maxBrowseLimit));
    return this.ctx.store.conversations.browse(actor.userId, roomNameKey(p.query ?? ''), limit);
  }

  /** Joins an open room. */
  async joinRoom(actor: Actor, p: ParamsOf<'rooms.join'>): Promise<Conversation> {
    const { ctx } = this;
    const { conversation, member } = await requireVisible(ctx, p.conversationId, actor.userId);
    if (member) throw refusalError('already_member');
    if (conversation.kind !== 'open') throw new HubError('forbidden', 'this conversation cannot be joined');
    const joined = await ctx.store.conversations.addMembers(
      conversation.id,
      [actor.userId],
      { by: 'self' },
      ctx.clock(),
    );
    if (joined.kind === 'refused') throw refusalError(joined.reason);
    publishAdded(ctx, conversation.id, joined);
    return this.seenBy(joined.views, conversation.id, actor.userId);
  }

  /** Leaves a room; the last one out archives it, an owner leaving hands it to the longest-standing member. */
  async leaveRoom(actor: Actor, p: ParamsOf<'rooms.leave'>): Promise<void> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    if (conversation.kind === 'general') throw new HubError('forbidden', 'nobody can leave the general room');
    if (conversation.kind === 'direct') throw new HubError('bad_request', 'a direct conversation cannot be left');
    const left = await ctx.store.conversations.removeMember(conversation.id, actor.userId, { by: 'self' }, ctx.clock());
    if (left.kind === 'refused') throw refusalError(left.reason);
    if (left.archived) {
      ctx.log.info({ conversationId: conversation.id }, 'room archived');
      await recordAudit(ctx, actor, 'app', 'room.archive', roomTarget(conversation), { why: 'the last member left' });
    }
    publishRemoved(ctx, conversation.id, left, 'left');
  }

  /** Adds people to a room the actor is in; returns who was actually added. */
  async invite(actor: Actor, p: ParamsOf<'rooms.invite'>): Promise<{ added: number[] }> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    requireRoom(conversation);
    refuseArchived(conversation);
    const how = { by: 'member', actorId: actor.userId } as const;
    const invited = await ctx.store.conversations.addMembers(conversation.id, p.userIds, how, ctx.clock());
    if (invited.kind === 'refused') throw refusalError(invited.reason);
    publishAdded(ctx, conversation.id, invited);
    return { added: invited.userIds };
  }

  /** The owner removes someone from the room. */
  async removeMember(actor: Actor, p: ParamsOf<'rooms.remove'>): Promise<void> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    requireRoom(conversation);
    requireOwner(conversation, actor);
    if (p.userId === actor.userId) throw new HubError('bad_request', 'leave the room instead');
    const how = { by: 'owner', actorId: actor.userId, expectedOwnerId: conversation.ownerId } as const;
    const removed = await ctx.store.conversations.removeMember(conversation.id, p.userId, how, ctx.clock());
    if (removed.kind === 'refused') throw refusalError(removed.reason);
    publishRemoved(ctx, conversation.id, removed, 'removed');
    const gone = await ctx.store.accounts.findUserById(p.userId);
    await recordAudit(ctx, actor, 'app', 'room.remove', roomTarget(conversation), { user: gone?.login ?? p.userId });
  }

  /**
   * Renames a room, sets its topic and/or who may pin in it (the owner; in the general room or a
   * room the hub manages, an admin; the pin rule also any administrator).
   */
  async updateRoom(actor: Actor, p: ParamsOf<'rooms.update'>): Promise<Conversation> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    if (conversation.kind === 'direct')
      throw new HubError('bad_request', 'a direct conversation has no name, topic or pin rule');
    refuseArchived(conversation);
    const general = conversation.kind === 'general';
    if (general && p.pinRule !== undefined)
      throw new HubError('bad_request', 'in the general room administrators pin messages; that cannot be changed');
    if (general) {
      if (!actor.isAdmin) throw new HubError('forbidden', 'only an administrator can change the general room');
    } else if (!(actor.isAdmin && p.name === undefined && p.topic === undefined)) {
      requireOwner(conversation, actor);
    }
    const update: RoomUpdate = { actorId: actor.userId, expectedOwnerId: general ? 'general' : conversation.ownerId };
    if (p.name !== undefined) update.name = roomName(p.name, general);
    if (p.topic !== undefined) update.topic = checkTopic(p.topic);
    if (p.pinRule !== undefined) update.pinRule = p.pinRule;
    const updated = await ctx.store.conversations.updateRoom(conversation.id, update, ctx.clock());
    if (updated.kind === 'refused') throw refusalError(updated.reason, update.name?.name);
    publishChanged(ctx, updated);
    const action = p.name !== undefined ? 'room.rename' : p.topic !== undefined ? 'room.topic' : 'room.pin_rule';
    await recordAudit(ctx, actor, 'app', action, roomTarget(conversation), {
      ...(update.name ? { name: update.name.name } : {}),
      ...(update.topic !== undefined ? { topic: update.topic } : {}),
      ...(update.pinRule !== undefined ? { pinRule: update.pinRule } : {}),
    });
    return this.seenBy(updated.views, conversation.id, actor.userId);
  }

  /** The owner hands the room to another member. */
  async transferOwnership(actor: Actor, p: ParamsOf<'rooms.transfer'>): Promise<void> {
    const { ctx } = this;
    const { conversation } = await requireMember(ctx, p.conversationId, actor.userId);
    requireRoom(conversation);
    // A room the hub manages (a branch room) has no owner, and handing it to a person would
    // give them the power over its members that the directory sync keeps.
    if (conversation.ownerId === null) throw new HubError('forbidden', 'the hub manages this room; it has no owner');
    requireOwner(conversation, actor);
    if (p.userId === actor.userId) return;
    const moved = await ctx.store.conversations.transferOwnership(conversation.id, actor.userId, p.userId, ctx.clock());
    if (moved.kind === 'refused') throw refusalError(moved.reason);
    publishChanged(ctx, moved);
    const heir = await ctx.store.accounts.findUserById(p.userId);
    await recordAudit(ctx, actor, 'app', 'room.transfer', roomTarget(conversation), { to: heir?.login ?? p.userId });
  }

  /**
   * The members of a conversation the actor may see (an open room's too, before joining; a bot:
   * only of the conversations it is in, as it never learns about any other).
   */
  async members(actor: Actor, p: ParamsOf<'rooms.members'>): Promise<Member[]> {
    const check = actor.isBot ? requireMember : requireVisible;
    const { conversation } = await check(this.ctx, p.conversationId, actor.userId);
    const members = await this.ctx.store.conversations.members(conversation.id);
    return members.map((m) => ({
      userId: m.userId,
      role: m.userId === conversation.ownerId && conversation.kind !== 'general' ? 'owner' : 'member',
      joinedAt: m.joinedAt,
    }));
  }

  /** The one direct conversation of the actor and another user, created on first use. */
  async openDirect(actor: Actor, p: ParamsOf<'direct.open'>): Promise<Conversation> {
    const { ctx } = this;
    if (p.userId === actor.userId) throw new HubError('bad_request', 'a direct conversation needs another person');
    const opened = await ctx.store.conversations.openDirect(actor.userId, p.userId, ctx.clock());
    if (opened.kind === 'refused') throw refusalError(opened.reason);
    for (const event of conversationEvents(opened.views)) ctx.events.publish(event);
    return this.seenBy(opened.views, opened.conversationId, actor.userId);
  }

  /** The conversation as the user sees it: from a change's views when it has theirs, else read now. */
  private async seenBy(views: readonly MemberView[], conversationId: number, userId: number): Promise<Conversation> {
    const view = views.find((v) => v.userId === userId)?.conversation;
    if (view) return view;
    const read = await this.ctx.store.conversations.view(conversationId, userId);
    if (!read) throw notFound();
    return read;
  }
}
