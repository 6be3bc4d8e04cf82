import { checkRoomName } from '../../common/protocol/checkRoomName.ts';
import type { ParamsOf } from '../../common/protocol/clientFrame.ts';
import type { Conversation, Member, RoomSummary } from '../../common/protocol/model.ts';
import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { ConversationRow } from '../store/conversations.ts';
import {
  archiveRoom,
  browseRooms,
  findDirect,
  findMemberConversation,
  findRoomIdByNameKey,
  insertDirect,
  insertRoom,
  setRoomName,
  setRoomOwner,
  setRoomTopic,
} from '../store/conversations.ts';
import {
  addMember,
  findMember,
  listMembers,
  longestStandingMember,
  memberIds,
  removeMember,
} from '../store/members.ts';
import { advanceReadSeq } from '../store/reads.ts';
import { findUserById, findUsersByIds } from '../store/users.ts';
import { requireMember, requireVisible } from './access.ts';
import type { Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import type { Audience, HubEvent } from './HubEvent.ts';
import { HubError } from './HubError.ts';
import { conversationEvents, insertSystemMessage, messageEvent } from './systemMessages.ts';
import { toConversation } from './views.ts';

const maxTopic = 500;
const defaultBrowseLimit = 50;
const maxBrowseLimit = 200;

/** Rooms, membership and direct conversations. Every change is a system message plus events. */
export class Rooms {
  constructor(private readonly ctx: HubContext) {}

  /** Creates an open or closed room owned by the actor, with the given people in it. */
  async createRoom(actor: Actor, p: ParamsOf<'rooms.create'>): Promise<Conversation> {
    const { ctx } = this;
    const { name, key: nameKey } = roomName(p.name, false);
    const topic = checkTopic(p.topic ?? '');
    if (p.kind !== 'open' && p.kind !== 'closed') throw new HubError('bad_request', 'a room is open or closed');
    const invited = this.invitable([...new Set(p.members ?? [])].filter((id) => id !== actor.userId));
    const events: HubEvent[] = [];
    const id = this.write(() => {
      // The general room's key counts too: nobody can create a room that looks like it.
      if (findRoomIdByNameKey(ctx.db, nameKey) !== undefined) throw nameTaken(name);
      const now = ctx.clock();
      const roomId = insertRoom(ctx.db, { kind: p.kind, name, nameKey, topic, ownerId: actor.userId, now });
      addMember(ctx.db, roomId, actor.userId, now, 0);
      for (const userId of invited) addMember(ctx.db, roomId, userId, now, 0);
      const messages = [insertSystemMessage(ctx, roomId, { event: 'created', actorId: actor.userId, value: name })];
      if (invited.length > 0) {
        messages.push(
          insertSystemMessage(ctx, roomId, { event: 'invited', actorId: actor.userId, targetIds: invited }),
        );
      }
      const everyone = [actor.userId, ...invited];
      for (const userId of everyone) advanceReadSeq(ctx.db, roomId, userId, messages.at(-1)!.seq);
      events.push(...conversationEvents(ctx, roomId, everyone));
      for (const m of messages) events.push(messageEvent(m, users(everyone)));
      return roomId;
    }, events);
    this.ctx.log.info({ conversationId: id, userId: actor.userId, kind: p.kind }, 'room created');
    return this.viewFor(id, actor.userId);
  }

  /** Open rooms, and closed rooms the actor is in, matching a query. */
  async browseRooms(actor: Actor, p: ParamsOf<'rooms.browse'>): Promise<RoomSummary[]> {
    const limit = Math.max(1, Math.min(p.limit ?? defaultBrowseLimit, maxBrowseLimit));
    return browseRooms(this.ctx.db, actor.userId, roomNameKey(p.query ?? ''), limit).map((r) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      topic: r.topic,
      memberCount: r.member_count,
      joined: r.joined === 1,
    }));
  }

  /** Joins an open room. */
  async joinRoom(actor: Actor, p: ParamsOf<'rooms.join'>): Promise<Conversation> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    this.write(() => {
      const { conversation, member } = requireVisible(ctx, p.conversationId, actor.userId);
      if (member) throw new HubError('conflict', 'already a member');
      if (conversation.kind !== 'open') throw new HubError('forbidden', 'this conversation cannot be joined');
      addMember(ctx.db, conversation.id, actor.userId, ctx.clock(), conversation.last_seq);
      const message = insertSystemMessage(ctx, conversation.id, { event: 'joined', actorId: actor.userId });
      advanceReadSeq(ctx.db, conversation.id, actor.userId, message.seq);
      const all = memberIds(ctx.db, conversation.id);
      events.push(membersEvent(conversation.id, all, [actor.userId], []));
      events.push(...conversationEvents(ctx, conversation.id, [actor.userId]));
      events.push(messageEvent(message, users(all)));
    }, events);
    return this.viewFor(p.conversationId, actor.userId);
  }

  /** Leaves a room; the last one out archives it, an owner leaving hands it to the longest-standing member. */
  async leaveRoom(actor: Actor, p: ParamsOf<'rooms.leave'>): Promise<void> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    this.write(() => {
      const { conversation } = requireMember(ctx, p.conversationId, actor.userId);
      if (conversation.kind === 'general') throw new HubError('forbidden', 'nobody can leave the general room');
      if (conversation.kind === 'direct') throw new HubError('bad_request', 'a direct conversation cannot be left');
      removeMember(ctx.db, conversation.id, actor.userId);
      const left = insertSystemMessage(ctx, conversation.id, { event: 'left', actorId: actor.userId });
      events.push(removedEvent(conversation.id, actor.userId, 'left'));
      const remaining = memberIds(ctx.db, conversation.id);
      if (remaining.length === 0) {
        // Kept for the record, out of the directory, and its name is free again.
        archiveRoom(ctx.db, conversation.id);
        ctx.log.info({ conversationId: conversation.id }, 'room archived');
        return;
      }
      events.push(membersEvent(conversation.id, remaining, [], [actor.userId]));
      events.push(messageEvent(left, users(remaining)));
      if (conversation.owner_id === actor.userId) {
        const next = longestStandingMember(ctx.db, conversation.id)!;
        setRoomOwner(ctx.db, conversation.id, next);
        const owner = insertSystemMessage(ctx, conversation.id, {
          event: 'owner',
          actorId: actor.userId,
          targetIds: [next],
        });
        events.push(...conversationEvents(ctx, conversation.id, remaining));
        events.push(messageEvent(owner, users(remaining)));
      }
    }, events);
  }

  /** Adds people to a room the actor is in; returns who was actually added. */
  async invite(actor: Actor, p: ParamsOf<'rooms.invite'>): Promise<{ added: number[] }> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    return this.write(() => {
      const { conversation } = requireMember(ctx, p.conversationId, actor.userId);
      requireRoom(conversation);
      const added: number[] = [];
      const now = ctx.clock();
      for (const userId of this.invitable([...new Set(p.userIds)])) {
        if (addMember(ctx.db, conversation.id, userId, now, conversation.last_seq)) added.push(userId);
      }
      if (added.length === 0) return { added };
      const message = insertSystemMessage(ctx, conversation.id, {
        event: 'invited',
        actorId: actor.userId,
        targetIds: added,
      });
      for (const userId of added) advanceReadSeq(ctx.db, conversation.id, userId, message.seq);
      const all = memberIds(ctx.db, conversation.id);
      events.push(membersEvent(conversation.id, all, added, []));
      events.push(...conversationEvents(ctx, conversation.id, added));
      events.push(messageEvent(message, users(all)));
      return { added };
    }, events);
  }

  /** The owner removes someone from the room. */
  async removeMember(actor: Actor, p: ParamsOf<'rooms.remove'>): Promise<void> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    this.write(() => {
      const { conversation } = requireMember(ctx, p.conversationId, actor.userId);
      requireRoom(conversation);
      requireOwner(conversation, actor);
      if (p.userId === actor.userId) throw new HubError('bad_request', 'leave the room instead');
      if (!removeMember(ctx.db, conversation.id, p.userId)) throw new HubError('not_found', 'no such member');
      const message = insertSystemMessage(ctx, conversation.id, {
        event: 'removed',
        actorId: actor.userId,
        targetIds: [p.userId],
      });
      const remaining = memberIds(ctx.db, conversation.id);
      events.push(removedEvent(conversation.id, p.userId, 'removed'));
      events.push(membersEvent(conversation.id, remaining, [], [p.userId]));
      events.push(messageEvent(message, users(remaining)));
    }, events);
  }

  /** Renames a room and/or sets its topic (the owner; in the general room or a room the hub manages, an admin). */
  async updateRoom(actor: Actor, p: ParamsOf<'rooms.update'>): Promise<Conversation> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    this.write(() => {
      const { conversation } = requireMember(ctx, p.conversationId, actor.userId);
      if (conversation.kind === 'direct') throw new HubError('bad_request', 'a direct conversation has no name');
      if (conversation.kind === 'general') {
        if (!actor.isAdmin) throw new HubError('forbidden', 'only an administrator can change the general room');
      } else {
        requireOwner(conversation, actor);
      }
      const messages = [];
      if (p.name !== undefined) {
        const { name, key } = roomName(p.name, conversation.kind === 'general');
        if (name !== conversation.name) {
          const holder = findRoomIdByNameKey(ctx.db, key);
          if (holder !== undefined && holder !== conversation.id) throw nameTaken(name);
          setRoomName(ctx.db, conversation.id, name, key);
          messages.push(
            insertSystemMessage(ctx, conversation.id, { event: 'renamed', actorId: actor.userId, value: name }),
          );
        }
      }
      if (p.topic !== undefined) {
        const topic = checkTopic(p.topic);
        if (topic !== conversation.topic) {
          setRoomTopic(ctx.db, conversation.id, topic);
          messages.push(
            insertSystemMessage(ctx, conversation.id, { event: 'topic', actorId: actor.userId, value: topic }),
          );
        }
      }
      if (messages.length === 0) return;
      const all = memberIds(ctx.db, conversation.id);
      events.push(...conversationEvents(ctx, conversation.id, all));
      const audience = audienceOf(conversation, all);
      for (const m of messages) events.push(messageEvent(m, audience));
    }, events);
    return this.viewFor(p.conversationId, actor.userId);
  }

  /** The owner hands the room to another member. */
  async transferOwnership(actor: Actor, p: ParamsOf<'rooms.transfer'>): Promise<void> {
    const { ctx } = this;
    const events: HubEvent[] = [];
    this.write(() => {
      const { conversation } = requireMember(ctx, p.conversationId, actor.userId);
      requireRoom(conversation);
      // A room the hub manages (a branch room) has no owner, and handing it to a person would
      // give them the power over its members that the directory sync keeps.
      if (conversation.owner_id === null) throw new HubError('forbidden', 'the hub manages this room; it has no owner');
      requireOwner(conversation, actor);
      if (p.userId === actor.userId) return;
      if (!findMember(ctx.db, conversation.id, p.userId)) throw new HubError('not_found', 'no such member');
      setRoomOwner(ctx.db, conversation.id, p.userId);
      const message = insertSystemMessage(ctx, conversation.id, {
        event: 'owner',
        actorId: actor.userId,
        targetIds: [p.userId],
      });
      const all = memberIds(ctx.db, conversation.id);
      events.push(...conversationEvents(ctx, conversation.id, all));
      events.push(messageEvent(message, users(all)));
    }, events);
  }

  /** The members of a conversation the actor may see (an open room's too, before joining). */
  async members(actor: Actor, p: ParamsOf<'rooms.members'>): Promise<Member[]> {
    const { conversation } = requireVisible(this.ctx, p.conversationId, actor.userId);
    return listMembers(this.ctx.db, conversation.id).map((m) => ({
      userId: m.user_id,
      role: m.user_id === conversation.owner_id && conversation.kind !== 'general' ? 'owner' : 'member',
      joinedAt: m.joined_at,
    }));
  }

  /** The one direct conversation of the actor and another user, created on first use. */
  async openDirect(actor: Actor, p: ParamsOf<'direct.open'>): Promise<Conversation> {
    const { ctx } = this;
    if (p.userId === actor.userId) throw new HubError('bad_request', 'a direct conversation needs another person');
    if (!findUserById(ctx.db, p.userId)) throw new HubError('not_found', 'no such user');
    const events: HubEvent[] = [];
    const id = this.write(() => {
      const existing = findDirect(ctx.db, actor.userId, p.userId);
      if (existing) return existing.id;
      const now = ctx.clock();
      const directId = insertDirect(ctx.db, actor.userId, p.userId, now);
      addMember(ctx.db, directId, actor.userId, now, 0);
      addMember(ctx.db, directId, p.userId, now, 0);
      events.push(...conversationEvents(ctx, directId, [actor.userId, p.userId]));
      return directId;
    }, events);
    return this.viewFor(id, actor.userId);
  }

  /** Runs a change in one transaction, then publishes what it produced (only after COMMIT). */
  private write<T>(change: () => T, events: HubEvent[]): T {
    const result = this.ctx.db.transaction(change).immediate();
    for (const event of events) this.ctx.events.publish(event);
    return result;
  }

  /** The people among `ids` that can be added: all must exist; disabled accounts are skipped. */
  private invitable(ids: number[]): number[] {
    if (ids.length === 0) return [];
    const rows = findUsersByIds(this.ctx.db, ids);
    if (rows.length !== ids.length) throw new HubError('not_found', 'no such user');
    const enabled = new Set(rows.filter((r) => r.disabled === 0).map((r) => r.id));
    return ids.filter((id) => enabled.has(id));
  }

  private viewFor(conversationId: number, userId: number): Conversation {
    const row = findMemberConversation(this.ctx.db, conversationId, userId);
    if (!row) throw new HubError('not_found', 'no such conversation');
    return toConversation(row);
  }
}

function users(userIds: readonly number[]): Audience {
  return { to: 'users', userIds };
}

function audienceOf(conversation: ConversationRow, members: readonly number[]): Audience {
  return conversation.kind === 'general' ? { to: 'everyone' } : users(members);
}

function membersEvent(conversationId: number, to: readonly number[], added: number[], removed: number[]): HubEvent {
  return { audience: users(to), frame: { type: 'members', conversationId, added, removed } };
}

function removedEvent(conversationId: number, userId: number, reason: 'left' | 'removed'): HubEvent {
  return { audience: users([userId]), frame: { type: 'conversation.removed', conversationId, reason } };
}

function requireRoom(conversation: ConversationRow): void {
  if (conversation.kind === 'general') throw new HubError('bad_request', 'everyone is in the general room already');
  if (conversation.kind === 'direct') throw new HubError('bad_request', 'a direct conversation has exactly two people');
}

/** The owner may; in a room the hub manages (no owner: a branch room), only an administrator. */
function requireOwner(conversation: ConversationRow, actor: Actor): void {
  if (conversation.owner_id === null) {
    if (!actor.isAdmin) throw new HubError('forbidden', 'only an administrator can change a room the hub manages');
    return;
  }
  if (conversation.owner_id !== actor.userId) throw new HubError('forbidden', 'only the owner of the room can do that');
}

/** A checked name and its look-alike key; a general room alias is taken (`conflict`) for other rooms. */
function roomName(input: string, general: boolean): { name: string; key: string } {
  const checked = checkRoomName(input, { general });
  if (checked.ok) return checked;
  throw new HubError(checked.problem === 'reserved' ? 'conflict' : 'bad_request', checked.reason);
}

function checkTopic(input: string): string {
  const topic = input.trim();
  if ([...topic].length > maxTopic) throw new HubError('bad_request', `a topic is at most ${maxTopic} characters`);
  return topic;
}

function nameTaken(name: string): HubError {
  return new HubError('conflict', `a room named "${name}" (or a name that looks the same) exists already`);
}
