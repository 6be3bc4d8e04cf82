import os from 'node:os';
import type { Hub } from '../ops/Hub.ts';

/** Commands that only read: not recorded (`user.list`, `files.status`, `backup.verify`, `directory.check`, `audit.list`, …). */
const readOnly = /\.(list|status|verify|report|members|check)$|^audit\./;

/** An administrator running a command from the web console: recorded under their login, source `app`. */
export interface AppActor {
  login: string;
}

/** Counts and flags of a result kept as they are (a directory sync's too, as the scheduled sync records them). */
const resultCounts = ['ok', 'created', 'updated', 'unchanged', 'pages', 'removed', 'maxPages'].concat([
  'dryRun',
  'disabled',
  'enabled',
  'roomAdds',
  'roomRemoves',
  'skipped',
]);

/** Result fields worth keeping (ids and counts); everything else in a result (tokens, secrets, passwords) is left out. */
function resultDetail(result: unknown): Record<string, unknown> {
  const r = (result ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const out: Record<string, unknown> = {};
  if (typeof r.user?.id === 'number') out.userId = r.user.id;
  if (typeof r.bot?.userId === 'number') out.botId = r.bot.userId;
  if (typeof r.hook?.id === 'number') out.hookId = r.hook.id;
  if (typeof r.room?.id === 'number') out.roomId = r.room.id;
  if (typeof r.message?.seq === 'number') out.seq = r.message.seq;
  const flat = result as Record<string, unknown> | null;
  for (const key of resultCounts)
    if (flat && typeof flat[key] !== 'object' && flat[key] !== undefined) out[key] = flat[key];
  if (flat && Array.isArray(flat.errors)) out.errors = flat.errors.length;
  return out;
}

/**
 * Whom or what an admin command concerned: a login, `#room` (as the apps' room changes are
 * recorded), `hook N`, an announcement's `to`, a file.
 */
function targetOf(name: string, args: Record<string, unknown>, result: unknown): string | null {
  // A desktop release: `stable 1.2.3` (release.add learns its version from the feed it checked).
  const release = (result as { release?: { channel?: unknown; version?: unknown } } | null)?.release;
  if (name.startsWith('release.'))
    return (
      `${String(args.channel ?? release?.channel ?? '')} ${String(args.version ?? release?.version ?? '')}`.trim() ||
      null
    );
  const hookId = (result as { hook?: { id?: unknown } } | null)?.hook?.id ?? args.id;
  if (name.startsWith('hook.') && typeof hookId === 'number') return `hook ${hookId}`;
  const room = name.startsWith('room.') ? (args.room ?? args.name) : undefined;
  if (typeof room === 'string' && room !== '') return room.startsWith('#') ? room : `#${room}`;
  for (const key of ['login', 'room', 'to', 'name', 'file', 'id']) {
    const value = args[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return null;
}

/** The OS account running this process (the CLI's, on the direct path). */
export function localOsUser(): string {
  // `sudo -u beseda beseda-hub …` (the runbook's way): the administrator who ran sudo is who acted,
  // not the hub's account every such command runs as. (The CLI's own word, like the rest of this.)
  const sudoUser = process.env.SUDO_USER;
  if (sudoUser && /^[A-Za-z0-9._-]{1,64}$/.test(sudoUser) && sudoUser !== 'root') return sudoUser;
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (a container's random uid): the uid still says who.
    return process.env.USER ?? `uid ${process.getuid?.() ?? '?'}`;
  }
}

/**
 * Records an admin command that changed something, once it succeeded: actor `cli:<os user>` (the
 * user the CLI ran as, sent over the admin socket, or this process's own on the direct path),
 * its arguments without secrets, and the ids and counts of its result (never a token, hook
 * secret or generated password). Read-only commands and dry runs are not recorded. From the web console
 * (`app` given) the actor is the administrator's login and the source `app`.
 */
export async function auditAdminCommand(
  hub: Hub,
  name: string,
  args: unknown,
  result: unknown,
  osUser: string,
  app?: AppActor,
): Promise<void> {
  if (readOnly.test(name)) return;
  const a = args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  // A dry run (`directory sync --dry-run`) only says what would change.
  if (a.dryRun === true) return;
  await hub.audit.record({
    actor: app ? app.login : `cli:${osUser}`,
    source: app ? 'app' : 'cli',
    action: name,
    target: targetOf(name, a, result),
    detail: { ...a, ...resultDetail(result) },
  });
}
