import { CloseCode } from '../../../common/protocol/errors.ts';
import { roomNameKey } from '../../../common/protocol/roomNameKey.ts';
import type { HubContext } from '../../ops/HubContext.ts';
import { HubError } from '../../ops/HubError.ts';
import { branchRoomName } from '../../ops/integrations/branchRoom.ts';
import { publishMoves } from '../../ops/integrations/publishMoves.ts';
import type { RoomAdmin } from '../../ops/RoomAdmin.ts';
import { publishAdded, publishRemoved } from '../../ops/systemMessages.ts';
import type { AccountRecord } from '../../store/AccountStore.ts';
import type { DirectoryChanges } from '../../store/IntegrationStore.ts';
import type { PersonWrite, RoomPlan, SyncPlan } from './planSync.ts';

/** What the store needs besides the plan: the hash new accounts get (nobody knows its password). */
export interface ApplyOptions {
  unknowableHash: () => Promise<string>;
  roomAdmin: RoomAdmin;
}

/** What a sync changed, counted. */
export interface SyncCounts {
  created: number;
  updated: number;
  disabled: number;
  enabled: number;
  roomAdds: number;
  roomRemoves: number;
  roomsCreated: number;
  skipped: number;
  /** Room mappings that could not be applied (said in the log and the summary). */
  roomErrors: string[];
}

/**
 * Carries out a plan: people first (one store write, so a failure leaves nothing half done),
 * their directory ties, accounts gone from the directory, then each mapped room. Everything is
 * published as the same change made by hand would be; disabled people's connections close at once.
 */
export async function applySync(ctx: HubContext, plan: SyncPlan, options: ApplyOptions): Promise<SyncCounts> {
  const counts: SyncCounts = {
    created: plan.create.length,
    updated: plan.update.length,
    disabled: plan.disableGone.length,
    enabled: 0,
    roomAdds: 0,
    roomRemoves: 0,
    roomsCreated: 0,
    skipped: plan.skipped.length,
    roomErrors: [],
  };
  for (const w of plan.update) {
    if (w.changes.includes('disabled')) counts.disabled++;
    if (w.changes.includes('enabled')) counts.enabled++;
  }
  await writePeople(ctx, [...plan.create, ...plan.update], options);
  for (const { userId } of plan.disableGone) {
    const done = await ctx.store.accounts.setDisabled(userId, true, ctx.clock());
    if (done?.changed) ctx.events.disconnect({ userId }, CloseCode.AccountDisabled, 'account disabled');
  }
  for (const room of plan.rooms) {
    try {
      await applyRoom(ctx, room, options.roomAdmin, counts);
    } catch (err) {
      const why = err instanceof HubError ? err.message : String(err);
      counts.roomErrors.push(`${room.room}: ${why}`);
      ctx.log.warn({ room: room.room, err }, 'directory sync: room not synced');
    }
  }
  return counts;
}

/** Writes people (created, updated, enabled or disabled) and ties each to its directory entry. */
export async function writePeople(
  ctx: HubContext,
  writes: readonly PersonWrite[],
  options: Pick<ApplyOptions, 'unknowableHash'>,
): Promise<AccountRecord[]> {
  if (writes.length === 0) return [];
  const result = await ctx.store.integrations.syncPeople(
    writes.map((w) => ({ person: w.person })),
    { newPasswordHash: await options.unknowableHash(), namer: branchRoomName, now: ctx.clock() },
  );
  // Checked again inside the write: someone was made an administrator or a bot meanwhile.
  if (result.kind === 'refused')
    throw new HubError(
      'conflict',
      `"${writes[result.index]!.person.login}" became an ${result.reason} meanwhile; run the sync again`,
    );
  publishChanges(ctx, result);
  const accounts = result.people.map((p) => p.account);
  for (const [i, w] of writes.entries()) {
    const linked = await ctx.store.directoryLinks.link(accounts[i]!.id, w.directoryId, w.dn);
    if (linked !== 'linked')
      ctx.log.warn({ userId: accounts[i]!.id, linked }, 'directory sync: account not tied to its entry');
  }
  return accounts;
}

async function applyRoom(ctx: HubContext, room: RoomPlan, roomAdmin: RoomAdmin, counts: SyncCounts): Promise<void> {
  if (room.missingGroup) throw new HubError('not_found', `no group ${room.group} in the directory`);
  if (room.create) {
    if (room.add.length === 0) return; // nobody to put in it yet: made when someone is
    await roomAdmin.add({ name: room.room, closed: true, members: room.add });
    counts.roomsCreated++;
    counts.roomAdds += room.add.length;
    return;
  }
  const [id] = await ctx.store.roomAdmin.idsByNameKey(roomNameKey(room.room));
  if (id === undefined) throw new HubError('not_found', 'the room is gone');
  const ids = await userIds(ctx, room.add);
  if (ids.length > 0) {
    const added = await ctx.store.conversations.addMembers(id, ids, { by: 'hub' }, ctx.clock());
    if (!('kind' in added && added.kind === 'refused')) {
      publishAdded(ctx, id, added);
      counts.roomAdds += added.userIds.length;
    }
  }
  for (const userId of await userIds(ctx, room.remove)) {
    const removed = await ctx.store.conversations.removeMember(id, userId, { by: 'hub' }, ctx.clock());
    if ('kind' in removed && removed.kind === 'refused') continue;
    publishRemoved(ctx, id, removed, 'removed');
    counts.roomRemoves++;
  }
}

async function userIds(ctx: HubContext, logins: readonly string[]): Promise<number[]> {
  if (logins.length === 0) return [];
  return (await ctx.store.accounts.findUserIdsByLogins(logins)).map((r) => r.id);
}

/** Publishes what a people write changed, once it committed (as DirectorySync does for 1C). */
function publishChanges(ctx: HubContext, changes: DirectoryChanges): void {
  if (changes.generalAdded.length > 0) {
    ctx.events.publish({
      audience: { to: 'everyone' },
      frame: { type: 'members', conversationId: changes.generalRoomId, added: changes.generalAdded, removed: [] },
    });
  }
  publishMoves(ctx, changes.moves);
  for (const { userId, reason } of changes.signedOut) {
    if (reason === 'disabled') ctx.events.disconnect({ userId }, CloseCode.AccountDisabled, 'account disabled');
    else ctx.events.disconnect({ userId }, CloseCode.SessionRevoked, 'password changed');
  }
}
