import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { RoomChange, RoomOutcome } from '../store/ConversationStore.ts';
import type { RoomListing } from '../store/RoomAdminStore.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { checkTopic, refusalError, roomName } from './roomRules.ts';
import { publishChanged } from './systemMessages.ts';
import { toHubError } from './toHubError.ts';

/** What `room add` asks for. */
export interface AdminRoomInput {
  name: string;
  topic?: string;
  /** The owner's login; none: a room the hub manages (administrators rename it and remove people). */
  owner?: string;
  /** Logins put in the room besides the owner. */
  members?: string[];
  /** A closed room (invitation only); default open. */
  closed?: boolean;
}

/** A room as `room list` shows it, with whether the rest of the command line can find it by name. */
export type AdminRoom = RoomListing;

/**
 * Room administration for IT (`beseda-hub room …`; the actor is the CLI, null): create, list,
 * archive, bring back and rename rooms. Each change goes through the store as one transaction
 * and is published exactly like the same change from a member's client, so people see a rename
 * at once and an archived room turns read-only in their apps. System messages name the first
 * enabled administrator: the protocol needs a person for them, and it is the administration's doing.
 */
export class RoomAdmin {
  constructor(private readonly ctx: HubContext) {}

  /** Creates an open (or closed) room, with an owner or managed by the hub, and its first members. */
  add(input: AdminRoomInput): Promise<AdminRoom> {
    return this.guard('room.add', async () => {
      const { name, key } = roomName(input.name, false);
      const topic = checkTopic(input.topic ?? '');
      const ownerId = input.owner === undefined ? null : await this.userId(input.owner);
      const invited = await Promise.all((input.members ?? []).map((login) => this.userId(login)));
      const kind = input.closed ? 'closed' : 'open';
      if (kind === 'closed' && ownerId === null && invited.length === 0)
        throw new HubError('bad_request', 'a closed room needs --owner or --members: nobody could get in');
      const actorId = await this.actorId();
      const room = { kind, name, nameKey: key, topic, ownerId, invited, actorId } as const;
      const created = await this.ctx.store.roomAdmin.create(room, this.ctx.clock());
      if (created.kind === 'refused') throw refusalError(created.reason, name);
      publishChanged(this.ctx, created);
      this.ctx.log.info({ conversationId: created.conversationId, kind, by: 'cli' }, 'room created');
      return this.listed(created.conversationId);
    });
  }

  /** The rooms (the general room first); archived ones too when asked. */
  list(includeArchived: boolean): Promise<AdminRoom[]> {
    return this.guard('room.list', () => this.ctx.store.roomAdmin.list(includeArchived));
  }

  /** Archives a room: kept with its history, read-only for its members, out of the directory, its name free. */
  archive(ref: string): Promise<AdminRoom> {
    return this.guard('room.archive', () => this.setArchived(ref, true));
  }

  /** Brings an archived room back (refused while an active room has its name: rename one first). */
  unarchive(ref: string): Promise<AdminRoom> {
    return this.guard('room.unarchive', () => this.setArchived(ref, false));
  }

  /** Renames a room (the general room too); its members see the new name at once. */
  rename(ref: string, newName: string): Promise<AdminRoom> {
    return this.guard('room.rename', async () => {
      const room = await this.find(ref);
      const name = roomName(newName, room.kind === 'general');
      const changed = await this.ctx.store.roomAdmin.rename(room.id, name, await this.actorId(), this.ctx.clock());
      this.publish(changed, name.name);
      return this.listed(room.id);
    });
  }

  private async setArchived(ref: string, archived: boolean): Promise<AdminRoom> {
    const room = await this.find(ref);
    if (room.kind === 'general') throw new HubError('bad_request', 'the general room cannot be archived');
    const changed = await this.ctx.store.roomAdmin.setArchived(
      room.id,
      archived,
      await this.actorId(),
      this.ctx.clock(),
    );
    this.publish(changed, room.name);
    if (changed.kind === 'changed' && changed.views.length + changed.messages.length > 0)
      this.ctx.log.info({ conversationId: room.id, by: 'cli' }, archived ? 'room archived' : 'room brought back');
    return this.listed(room.id);
  }

  private publish(outcome: RoomOutcome, name: string): void {
    if (outcome.kind === 'refused') {
      if (outcome.reason === 'name_taken')
        throw new HubError('conflict', `an active room is named "${name}" already: rename one of them first`);
      throw refusalError(outcome.reason, name);
    }
    publishChanged(this.ctx, outcome as RoomChange);
  }

  /** A room by id (`42`) or by name (compared like room names: case, ё/е and look-alikes folded). */
  private async find(ref: string): Promise<AdminRoom> {
    const rooms = await this.ctx.store.roomAdmin.list(true);
    if (/^\d+$/.test(ref.trim())) {
      const byId = rooms.find((r) => r.id === Number(ref));
      if (byId) return byId;
    }
    const ids = await this.ctx.store.roomAdmin.idsByNameKey(roomNameKey(ref));
    const named = ids.map((id) => rooms.find((r) => r.id === id)).filter((r) => r !== undefined);
    const active = named.filter((r) => !r.archived);
    const pick = active.length === 1 ? active : named;
    if (pick.length === 1) return pick[0]!;
    if (pick.length === 0) throw new HubError('not_found', `no room "${ref}" (see: beseda-hub room list --archived)`);
    throw new HubError(
      'conflict',
      `${pick.length} archived rooms are named "${ref}" (ids ${pick.map((r) => r.id).join(', ')}): give the ID`,
    );
  }

  private async listed(id: number): Promise<AdminRoom> {
    const room = (await this.ctx.store.roomAdmin.list(true)).find((r) => r.id === id);
    if (!room) throw new HubError('not_found', 'no such room');
    return room;
  }

  private async userId(login: string): Promise<number> {
    const account = await this.ctx.store.accounts.findUserByLogin(login.trim());
    if (!account) throw new HubError('not_found', `no user "${login}"`);
    return account.id;
  }

  /** Who the system messages name (see the class). */
  private async actorId(): Promise<number> {
    const admin = await this.ctx.store.accounts.firstActiveAdmin();
    if (!admin) throw new HubError('conflict', 'there is no enabled administrator to sign the change as');
    return admin.id;
  }

  private async guard<T>(op: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toHubError(err, this.ctx.log, op);
    }
  }
}
