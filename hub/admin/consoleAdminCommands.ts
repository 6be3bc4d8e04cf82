import * as v from 'valibot';
import { ErrorCode } from '../../common/protocol/errors.ts';
import type { AccountInfo, Hub } from '../ops/Hub.ts';
import { HubError } from '../ops/HubError.ts';
import { announcementReport } from './announcementReport.ts';
import { backupStatusOf } from './consoleBackups.ts';

const Login = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Field = (max: number) => v.optional(v.nullable(v.pipe(v.string(), v.trim(), v.maxLength(max))));

const command = <S extends v.GenericSchema, R>(args: S, run: (hub: Hub, args: v.InferOutput<S>) => Promise<R>) => ({
  args,
  run,
});

/** The account with this login, or `not_found`. */
async function accountOf(hub: Hub, login: string): Promise<AccountInfo> {
  const key = login.trim().toLowerCase();
  const found = (await hub.listAccounts()).find((a) => a.login === key);
  if (!found) throw new HubError(ErrorCode.NotFound, `no account "${login}"`);
  return found;
}

/**
 * Admin commands the web console needs besides the CLI's (registered in adminCommands.ts):
 * changing a person's card and administrator right, who is online, an announcement's report by branch, storage and backups.
 */
export const consoleAdminCommands = {
  /**
   * A person's name, branch, position and e-mail (a field left out stays; null or '' clears it).
   * Through the directory path (hub.syncUser): moves them between branch rooms and tells every
   * app; administrators and bots are refused there, as for a directory sync.
   */
  'user.update': command(
    v.object({
      login: Login,
      name: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))),
      branch: Field(200),
      position: Field(200),
      email: Field(320),
    }),
    async (hub, a) => {
      const current = await accountOf(hub, a.login);
      const pick = (next: string | null | undefined, now: string | null | undefined) =>
        next === undefined ? (now ?? null) : next === '' ? null : next;
      const { user } = await hub.syncUser(null, {
        login: current.login,
        name: a.name ?? current.name,
        branch: pick(a.branch, current.branch),
        position: pick(a.position, current.position),
        email: pick(a.email, current.email),
        phone: current.phone ?? null,
        active: !current.disabled,
      });
      return { user };
    },
  ),
  /**
   * Gives or takes an account's administrator right (never a bot's; never the last administrator's).
   * Their connections reconnect at once with the new rights.
   */
  'user.setAdmin': command(v.object({ login: Login, admin: v.boolean() }), (hub, a) =>
    hub.adminRights.setAdmin(a.login, a.admin),
  ),
  /** A room's members (by id or name; closed rooms too), the owner first. */
  'room.members': command(v.object({ room: v.pipe(v.string(), v.minLength(1)) }), (hub, a) =>
    hub.roomConsole.members(a.room),
  ),
  /** Hands a room that has an owner to another of its members. */
  'room.owner': command(v.object({ room: v.pipe(v.string(), v.minLength(1)), login: Login }), (hub, a) =>
    hub.roomConsole.setOwner(a.room, a.login),
  ),
  /** People connected now (bots left out): online, away or do-not-disturb. */
  'online.list': command(v.object({}), async (hub) => ({
    users: (await hub.listAccounts())
      .filter((a) => !a.isBot && a.presence !== 'offline')
      .map((a) => ({ id: a.id, login: a.login, name: a.name, branch: a.branch, presence: a.presence })),
  })),
  /** Who has and has not confirmed an announcement, by branch, with a CSV. */
  'announce.report': command(v.object({ seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)) }), (hub, a) =>
    announcementReport(hub, a.seq),
  ),
  /** The database and files' size and health, and the backup schedule's state (null when the hub is not running). */
  'storage.status': command(v.object({}), async (hub) => {
    const [stats, files, storage] = await Promise.all([hub.stats(), hub.files.health(), hub.storageHealth()]);
    return {
      databaseBytes: stats.databaseBytes,
      databaseWalBytes: stats.databaseWalBytes,
      storage,
      files,
      backups: backupStatusOf(hub),
    };
  }),
};
