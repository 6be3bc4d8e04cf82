import type { Conversation, ConversationKind, Message, NotifyLevel, RoomSummary } from '../../common/protocol/model.ts';
import type { StoredAudience } from './MessageStore.ts';

/** A conversation as stored, without anyone's unread state. */
export interface ConversationRecord {
  id: number;
  kind: ConversationKind;
  /** Room name ('' for a direct conversation). */
  name: string;
  topic: string;
  /** The owner of an open or closed room; null for a room the hub manages, the general room and direct ones. */
  ownerId: number | null;
  /** Kept for the record, out of the directory, its name free again (the last member left). */
  archived: boolean;
  /** The newest message's seq (0 when there are none). */
  lastSeq: number;
  /** Who may pin messages (see `Conversation.pinRule`): always `owners` for the general room, `members` for direct ones. */
  pinRule: 'members' | 'owners';
}

/** One person's membership of a conversation. */
export interface MemberRecord {
  userId: number;
  joinedAt: number;
  readSeq: number;
}

/** A conversation and the user's membership of it, if any. */
export interface Membership {
  conversation: ConversationRecord;
  member: MemberRecord | undefined;
}

/** A conversation as one of its members sees it (what a `conversation` event carries to that member). */
export interface MemberView {
  userId: number;
  conversation: Conversation;
}

/**
 * What a membership or room change wrote, for the caller to publish after it committed: the
 * system messages (in order), the members after the change, who hears the messages and the
 * conversation as each affected person sees it now.
 */
export interface RoomChange {
  kind: 'changed';
  /** The people added or removed by this change (empty: nothing was written). */
  userIds: number[];
  messages: Message[];
  /** Every member after the change, by id. */
  memberIds: number[];
  /** Who hears the messages: the general room's go to everyone. */
  audience: StoredAudience;
  /** The conversation as each affected member sees it after the change (see each method). */
  views: MemberView[];
}

/**
 * How people come into a conversation.
 * - `self`: the person joins an open room on their own (`joined`, actor = the person). Refused when
 *   the room is not an open, active room any more (`not_found`) or they are in it (`already_member`).
 * - `member`: a member adds people (`invited`, naming everyone added, actor = that member). Refused
 *   when the actor is no longer a member (`not_member`) or an id is unknown (`no_such_user`);
 *   disabled accounts and members already in are skipped.
 * - `hub`: the hub puts people in as its own change (a bot given a room, a person's branch room, a
 *   hook or an administrator posting to an open room): one `joined` per person (actor = the
 *   person), whatever the kind of the conversation; members already in are skipped.
 */
export type Addition = { by: 'self' } | { by: 'member'; actorId: number } | { by: 'hub' };

/**
 * How someone leaves a conversation.
 * - `self`: the person leaves (`left`). The last one out archives the room (nothing more is
 *   published then); an owner leaving hands it to the longest-standing member (`owner`). Refused
 *   when they are no longer a member (`not_member`).
 * - `owner`: the room's owner (or, in a room the hub manages, an administrator) takes someone out
 *   (`removed`, naming them). Refused when the actor is no longer a member (`not_member`), the
 *   room's owner is no longer `expectedOwnerId` (`not_owner`), or the person is not in it (`no_such_member`).
 * - `hub`: the hub takes the person out as its own change (moved to another branch): `left`, never
 *   archived or handed over; nothing happens for someone who is not a member.
 */
export type Removal = { by: 'self' } | { by: 'owner'; actorId: number; expectedOwnerId: number | null } | { by: 'hub' };

/** Why a change was not written: it no longer holds at commit time (the caller maps it to an error). */
export type RoomRefusal =
  'not_found' | 'not_member' | 'already_member' | 'not_owner' | 'no_such_member' | 'no_such_user' | 'name_taken';

/** A change that was written, or why not. */
export type RoomOutcome<T = RoomChange> = T | { kind: 'refused'; reason: RoomRefusal };

/** A new open or closed room. */
export interface NewRoom {
  kind: 'open' | 'closed';
  name: string;
  /** The name's roomNameKey; no active room (the general room included) may have it. */
  nameKey: string;
  topic: string;
  ownerId: number;
  /** People to put in besides the owner: unknown ids refuse (`no_such_user`), disabled ones are skipped. */
  invited: readonly number[];
}

/** A rename, a new topic and/or a new pin rule; unchanged values write nothing. */
export interface RoomUpdate {
  actorId: number;
  /** The owner the caller's permission check relied on; `general` for the general room (administrators). */
  expectedOwnerId: number | null | 'general';
  name?: { name: string; key: string };
  topic?: string;
  /** Who may pin in the room (no system message: the room's settings show it). */
  pinRule?: 'members' | 'owners';
}

/**
 * A change of one member's notification settings: `notify` null returns to the default; `mutedUntil`
 * null mutes until unmuted, a time mutes until then, 0 (or any time already past) unmutes.
 */
export interface NotifyChange {
  notify?: NotifyLevel | null;
  mutedUntil?: number | null;
}

/**
 * Conversations and their membership. Every write is one atomic unit of change (the change, its
 * system messages, read markers) and re-checks what a concurrent call could have changed; what
 * the caller publishes afterwards comes back in the result, never from a later read.
 */
export interface ConversationStore {
  /** The general room's id. */
  generalRoomId(): Promise<number>;
  /** The conversation with this id. */
  find(conversationId: number): Promise<ConversationRecord | undefined>;
  /** The conversation and the user's membership; undefined when there is no such conversation. */
  membership(conversationId: number, userId: number): Promise<Membership | undefined>;
  /** The members' ids, ascending. */
  memberIds(conversationId: number): Promise<number[]>;
  /** The members, longest-standing first. */
  members(conversationId: number): Promise<MemberRecord[]>;
  /** The conversation as this member sees it; undefined when they are not a member. */
  view(conversationId: number, userId: number): Promise<Conversation | undefined>;
  /** Every conversation the user is in, as they see it, by id. */
  listFor(userId: number): Promise<Conversation[]>;
  /**
   * Active open rooms, and closed rooms the viewer is in, whose name key contains `queryKey`
   * (a roomNameKey): most members first, at most `limit`.
   */
  browse(viewerId: number, queryKey: string, limit: number): Promise<RoomSummary[]>;
  /** The ids of the active rooms (the general room included) with this name key; a unique index keeps it to one. */
  roomIdsByNameKey(nameKey: string): Promise<number[]>;

  /**
   * Creates a room with its owner and the invited people in it, a `created` message and, when
   * anyone was invited, an `invited` one; everyone's marker is past both. Refused when an active
   * room has the name key (`name_taken`) or an invited id is unknown (`no_such_user`). `views`:
   * every member; `userIds`: the invited people added.
   */
  createRoom(room: NewRoom, now: number): Promise<RoomOutcome<RoomChange & { conversationId: number }>>;
  /**
   * The one way people come into a conversation (see {@link Addition}): members added with their
   * system message(s) in one transaction, the added people's markers past them. `views`: the
   * added people. Nobody new: `userIds` empty, nothing written.
   */
  addMembers(conversationId: number, userIds: readonly number[], how: Addition, now: number): Promise<RoomOutcome>;
  /**
   * The one way someone leaves a conversation (see {@link Removal}), with its system message(s)
   * in one transaction. `views`: the remaining members when the owner changed, else none;
   * `archived`: the last one left.
   */
  removeMember(
    conversationId: number,
    userId: number,
    how: Removal,
    now: number,
  ): Promise<RoomOutcome<RoomChange & { archived: boolean }>>;
  /**
   * Renames a room and/or sets its topic, each actual change with its system message (`renamed`,
   * `topic`). Refused when the actor is no longer a member (`not_member`), the owner changed
   * (`not_owner`) or another active room has the new name key (`name_taken`). `views`: every member.
   */
  updateRoom(conversationId: number, update: RoomUpdate, now: number): Promise<RoomOutcome>;
  /**
   * Hands a room from its owner to another member (`owner` message). Refused when the actor is
   * not the owner any more (`not_owner`) or the person is not a member (`no_such_member`).
   * `views`: every member.
   */
  transferOwnership(conversationId: number, actorId: number, toUserId: number, now: number): Promise<RoomOutcome>;
  /**
   * The one direct conversation of two different users, created (both as members, no message)
   * when there is none. Refused when the other user does not exist (`no_such_user`). `views`: both
   * people when it was created, else none.
   */
  openDirect(
    userId: number,
    otherId: number,
    now: number,
  ): Promise<RoomOutcome<{ kind: 'opened'; conversationId: number; created: boolean; views: MemberView[] }>>;
  /**
   * Sets a member's notification level and/or mute (see {@link NotifyChange}); the conversation as
   * they see it afterwards, or undefined when they are not a member.
   */
  setNotify(
    conversationId: number,
    userId: number,
    change: NotifyChange,
    now: number,
  ): Promise<Conversation | undefined>;
}
