import { roomNameKey } from '../../common/protocol/roomNameKey.ts';
import type { RoomListing } from '../store/RoomAdminStore.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { refusalError } from './roomRules.ts';
import { publishChanged } from './systemMessages.ts';

/** A member of a room as the admin console lists it. */
export interface ConsoleMember {
  userId: number;
  login: string;
  name: string;
  branch: string | null;
  owner: boolean;
  joinedAt: number;
}

/**
 * The admin console's room operations the CLI's room administration lacks: a room's members
 * (closed rooms too: administrators see who is in them) and handing a room to another member.
 */
export class RoomConsole {
  constructor(private readonly ctx: HubContext) {}

  /** The members of a room (by id or name), the owner first, then by name. */
  async members(ref: string): Promise<{ room: RoomListing; members: ConsoleMember[] }> {
    const { ctx } = this;
    const room = await this.find(ref);
    const records = await ctx.store.conversations.members(room.id);
    const accounts = new Map(
      (await ctx.store.accounts.findUsersByIds(records.map((m) => m.userId))).map((a) => [a.id, a]),
    );
    const members = records.map((m) => {
      const a = accounts.get(m.userId);
      return {
        userId: m.userId,
        login: a?.login ?? '',
        name: a?.name ?? '',
        branch: a?.branch ?? null,
        owner: m.userId === room.ownerId,
        joinedAt: m.joinedAt,
      };
    });
    members.sort((a, b) => Number(b.owner) - Number(a.owner) || a.name.localeCompare(b.name, 'ru'));
    return { room, members };
  }

  /**
   * Makes a member the owner of a room that has one (the general room and the rooms the hub
   * manages have none, as for a person's transfer); every member's app hears it with the same
   * system message a transfer by the owner gives.
   */
  async setOwner(ref: string, loginInput: string): Promise<{ room: RoomListing }> {
    const { ctx } = this;
    const room = await this.find(ref);
    if (room.kind === 'general') throw new HubError('bad_request', 'the general room has no owner');
    if (room.archived) throw new HubError('forbidden', `"${room.name}" is archived: bring it back first`);
    if (room.ownerId === null) throw new HubError('forbidden', 'the hub manages this room; it has no owner');
    const heir = await ctx.store.accounts.findUserByLogin(loginInput.trim().toLowerCase());
    if (!heir) throw new HubError('not_found', `no account "${loginInput}"`);
    if (heir.id === room.ownerId) return { room };
    // Recorded as the owner's hand-over (the store's rule and system message); the audit log names the administrator.
    const moved = await ctx.store.conversations.transferOwnership(room.id, room.ownerId, heir.id, ctx.clock());
    if (moved.kind === 'refused') throw refusalError(moved.reason, room.name);
    publishChanged(ctx, moved);
    return { room: (await this.find(String(room.id)))! };
  }

  /** A room by id or by name (an active one first). */
  private async find(ref: string): Promise<RoomListing> {
    const rooms = await this.ctx.store.roomAdmin.list(true);
    const text = ref.trim();
    const byId = /^\d+$/.test(text) ? rooms.find((r) => r.id === Number(text)) : undefined;
    if (byId) return byId;
    const key = roomNameKey(text.replace(/^#/, ''));
    const named = rooms.filter((r) => roomNameKey(r.name) === key);
    const found = named.find((r) => !r.archived) ?? named[0];
    if (!found) throw new HubError('not_found', `no room "${ref}"`);
    return found;
  }
}
