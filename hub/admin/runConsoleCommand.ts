import { ErrorCode } from '../../common/protocol/errors.ts';
import type { Actor, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { runAdminCommand } from './adminCommands.ts';

/**
 * The admin commands the web console may run. Left out on purpose: `backup` (writes to any path
 * the hub's account can reach), `backup.now|list|status` (their folder arguments are the CLI's;
 * the console reads the running schedule through `storage.status`), `storage.limit`,
 * `files.collect`, `user.import` (bulk, the CLI's), `bot.grant` and restore (CLI only).
 */
export const consoleCommands: ReadonlySet<string> = new Set([
  'user.list',
  'user.add',
  'user.passwd',
  'user.disable',
  'user.enable',
  'user.update',
  'user.setAdmin',
  'user.invite',
  'online.list',
  'room.list',
  'room.add',
  'room.archive',
  'room.unarchive',
  'room.rename',
  'room.members',
  'room.owner',
  'bot.list',
  'bot.add',
  'bot.token',
  'bot.revoke',
  'bot.callback',
  'hook.list',
  'hook.add',
  'hook.revoke',
  'command.list',
  'announce',
  'announce.status',
  'announce.report',
  'storage.status',
  'files.status',
  'audit.list',
  // Desktop releases and the versions in use (issue 21); adding one takes files on the hub's disk: the CLI's.
  'release.list',
  'release.status',
]);

/**
 * The `admin` request: runs a console-safe admin command for a full-scope administrator (never an
 * embed/chat session or a bot), audited under the administrator's login with source `app`. An
 * announcement is always sent as the administrator themselves.
 */
export async function runConsoleCommand(hub: Hub, actor: Actor, command: string, args: unknown): Promise<unknown> {
  if (!actor.isAdmin || actor.chatOnly || actor.isBot)
    throw new HubError(ErrorCode.Forbidden, 'only administrators can use the admin console');
  if (!consoleCommands.has(command))
    throw new HubError(ErrorCode.Forbidden, `"${command.slice(0, 40)}" cannot be run from the admin console`);
  const [me] = await hub.getUsers(actor, { ids: [actor.userId] });
  if (!me) throw new HubError(ErrorCode.Unauthorized, 'no such account');
  const given = args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  // An administrator does not take their own right away by a slip of the mouse: another one does it.
  if (
    command === 'user.setAdmin' &&
    String(given.login ?? '')
      .trim()
      .toLowerCase() === me.login
  )
    throw new HubError(ErrorCode.Forbidden, 'you cannot change your own administrator right');
  const effective = command === 'announce' ? { ...given, from: me.login } : given;
  return runAdminCommand(hub, command, effective, `app:${me.login}`, { login: me.login });
}
