import { normalizeLogin } from '../Accounts.ts';
import type { Actor } from '../Hub.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { PostTarget } from '../IntegrationTypes.ts';
import type { Rooms } from '../Rooms.ts';
import { externalIdPattern } from './checkEntry.ts';
import { findRoomByName } from './findRoom.ts';

/** What a target names, before anything is opened. */
export type ParsedTarget = { kind: 'person'; login: string } | { kind: 'room'; id: number } | { kind: 'unknown-room' };

/**
 * Reads `@login`, `ext:<externalId>` (the person 1C knows by that id: `not_found` when nobody
 * has it), `#room`, a bare room name, or a conversation id (a number, or digits).
 * `bad_request` for anything else.
 */
export async function parseTarget(ctx: HubContext, to: PostTarget): Promise<ParsedTarget> {
  if (typeof to === 'number') {
    if (!Number.isSafeInteger(to) || to < 1)
      throw new HubError('bad_request', '"to" must be "@login", "#room" or a room id');
    return { kind: 'room', id: to };
  }
  const target = to.trim();
  if (target === '' || target === '#' || target === '@')
    throw new HubError('bad_request', '"to" must be "@login", "#room" or a room id');
  if (target.startsWith('@')) return { kind: 'person', login: normalizeLogin(target.slice(1)) };
  if (target.startsWith('ext:')) return { kind: 'person', login: await externalLogin(ctx, target.slice(4)) };
  if (/^\d{1,15}$/.test(target)) return { kind: 'room', id: Number(target) };
  const id = await findRoomByName(ctx, target);
  return id === undefined ? { kind: 'unknown-room' } : { kind: 'room', id };
}

/**
 * The conversation an integration posts to: a room as named (access is checked when sending, so
 * a closed room the sender is not in answers `not_found` exactly like a missing one), or the
 * direct conversation with a person, opened on first use. Only active people can be written to.
 */
export async function resolveTarget(ctx: HubContext, rooms: Rooms, actor: Actor, to: PostTarget): Promise<number> {
  const target = await parseTarget(ctx, to);
  if (target.kind === 'room') return target.id;
  if (target.kind === 'unknown-room') throw new HubError('not_found', 'no such conversation');
  return (await rooms.openDirect(actor, { userId: await personId(ctx, actor, target.login) })).id;
}

/** The id of an active person an integration may write to directly. */
export async function personId(ctx: HubContext, actor: Actor, login: string): Promise<number> {
  const user = await ctx.store.accounts.findUserByLogin(login);
  if (!user) throw new HubError('not_found', `no user "@${login}"`);
  if (user.id === actor.userId) throw new HubError('bad_request', 'a direct conversation needs another person');
  if (user.isBot) throw new HubError('forbidden', `"@${login}" is a bot; integrations write to people`);
  if (user.disabled) throw new HubError('forbidden', `the account "@${login}" is disabled`);
  return user.id;
}

/** The login of the person linked to an external id (1C). */
async function externalLogin(ctx: HubContext, externalId: string): Promise<string> {
  if (!externalIdPattern.test(externalId))
    throw new HubError('bad_request', '"ext:" is followed by an external id: 1 to 200 of A-Z a-z 0-9 . _ : { } -');
  const user = await ctx.store.accounts.findUserByExternalId(externalId);
  if (!user) throw new HubError('not_found', `nobody has the external id "${externalId}"`);
  return user.login;
}
