import type { RoomChange, RoomOutcome } from './ConversationStore.ts';

/** A room as `beseda-hub room list` shows it. */
export interface RoomListing {
  id: number;
  kind: 'general' | 'open' | 'closed';
  name: string;
  topic: string;
  /** Null: the general room, or a room the hub manages (a branch room, or one IT made without an owner). */
  ownerId: number | null;
  ownerLogin: string | null;
  memberCount: number;
  createdAt: number;
  /** When the newest message (system messages included) was stored; null when there is none. */
  lastMessageAt: number | null;
  archived: boolean;
}

/** A room IT creates from the command line. */
export interface AdminNewRoom {
  kind: 'open' | 'closed';
  name: string;
  /** The name's roomNameKey: no active room (the general room included) may have it. */
  nameKey: string;
  topic: string;
  /** Null: a room the hub manages (administrators rename it and remove people). */
  ownerId: number | null;
  /** Put in besides the owner: unknown ids refuse (`no_such_user`), disabled ones are skipped. */
  invited: readonly number[];
  /** Who the system messages name: the administrator the CLI acts for. */
  actorId: number;
}

/**
 * What the admin CLI does to rooms (`room add|list|archive|unarchive|rename`). Each change is one
 * transaction with its system message, and returns, like ConversationStore's changes, what the
 * caller publishes: every member's view of the room after it.
 */
export interface RoomAdminStore {
  /** Every room (the general room too), newest last; archived ones only when asked. */
  list(includeArchived: boolean): Promise<RoomListing[]>;
  /** The rooms (archived ones too) with this name key, active ones first. */
  idsByNameKey(nameKey: string): Promise<number[]>;
  /** A new room with a `created` message and, when anyone was invited, an `invited` one. */
  create(room: AdminNewRoom, now: number): Promise<RoomOutcome<RoomChange & { conversationId: number }>>;
  /**
   * Archives (an `archived` message; members keep it, read-only) or brings back a room; nothing
   * when it is so already. Refused: `not_found` (no such open or closed room), `name_taken` when
   * an active room took its name meanwhile (bringing it back).
   */
  setArchived(conversationId: number, archived: boolean, actorId: number, now: number): Promise<RoomOutcome>;
  /** Renames a room (a `renamed` message); `name_taken` when another active room has the key. */
  rename(
    conversationId: number,
    name: { name: string; key: string },
    actorId: number,
    now: number,
  ): Promise<RoomOutcome>;
}
