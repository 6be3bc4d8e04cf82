import * as v from 'valibot';
import { describeIssues } from '../../common/protocol/clientFrame.ts';
import { ErrorCode } from '../../common/protocol/errors.ts';
import { backupList, backupNow, backupStatus, backupToFile } from '../backup/backupAdmin.ts';
import type { Hub } from '../ops/Hub.ts';
import { type AppActor, auditAdminCommand, localOsUser } from './auditAdminCommand.ts';
import { consoleAdminCommands } from './consoleAdminCommands.ts';
import { releaseAdminCommands } from './releaseAdminCommands.ts';
import { directoryAdminCommands } from '../identity/ldap/directoryAdminCommands.ts';
import { onboardingAdminCommands } from '../identity/invitations/onboardingAdminCommands.ts';
import { checkPasswordPolicy } from '../identity/passwordPolicy.ts';
import { HubError } from '../ops/HubError.ts';

const Login = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** The backup folder and schedule the CLI read from its configuration (a running hub uses its own). */
const BackupSettings = v.object({
  dir: v.pipe(v.string(), v.minLength(1)),
  everyMs: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
  keep: v.pipe(v.number(), v.safeInteger(), v.minValue(1)),
});

/** An admin command: its argument schema and what it does with the hub (its result is sent as JSON). */
interface AdminCommand<S extends v.GenericSchema, R> {
  args: S;
  run(hub: Hub, args: v.InferOutput<S>): Promise<R>;
}

const command = <S extends v.GenericSchema, R>(args: S, run: (hub: Hub, args: v.InferOutput<S>) => Promise<R>) =>
  ({ args, run }) as AdminCommand<S, R>;

/**
 * The commands IT runs with `beseda-hub user …`. The same table serves the running hub (through
 * its admin socket, so a disabled user's sockets close at once) and a stopped one (opened directly).
 */
export const adminCommands = {
  'user.add': command(
    v.object({
      login: Login,
      name: v.pipe(v.string(), v.minLength(1)),
      password: v.optional(v.string()),
      admin: v.optional(v.boolean()),
      branch: v.optional(v.nullable(v.string())),
      email: v.optional(v.nullable(v.string())),
    }),
    (hub, a) =>
      hub.createUser({
        login: a.login,
        name: a.name,
        password: a.password,
        isAdmin: a.admin ?? false,
        branch: a.branch ?? null,
        email: a.email ?? null,
      }),
  ),
  'user.passwd': command(v.object({ login: Login, password: v.optional(v.string()) }), async (hub, a) => {
    // A password IT types in is held to the policy people's own are (a generated one always passes).
    if (a.password !== undefined)
      checkPasswordPolicy(a.password, { minLength: hub.invitations.options.minPasswordLength, login: a.login });
    return hub.setPassword(a.login, a.password);
  }),
  'user.disable': command(v.object({ login: Login }), async (hub, a) => {
    await hub.setDisabled(a.login, true);
    return {};
  }),
  'user.enable': command(v.object({ login: Login }), async (hub, a) => {
    await hub.setDisabled(a.login, false);
    return {};
  }),
  'user.list': command(v.object({}), async (hub) => ({ users: await hub.listAccounts() })),
  backup: command(v.object({ file: v.pipe(v.string(), v.minLength(1)) }), (hub, a) => backupToFile(hub, a.file)),
  'backup.now': command(BackupSettings, (hub, a) => backupNow(hub, a)),
  'backup.list': command(BackupSettings, async (hub, a) => backupList(hub, a)),
  'backup.status': command(BackupSettings, async (hub, a) => backupStatus(hub, a)),
  'files.collect': command(
    v.object({ unattachedForMs: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))) }),
    (hub, a) => hub.files.collect(a.unattachedForMs),
  ),
  'files.status': command(v.object({}), (hub) => hub.files.health()),
  'storage.limit': command(
    v.object({ maxPages: v.nullable(v.pipe(v.number(), v.safeInteger(), v.minValue(1))) }),
    (hub, a) => hub.setStorageLimit(a.maxPages),
  ),

  // Integrations (docs/integrations.md)
  'user.import': command(v.object({ csv: v.string() }), (hub, a) => hub.importUsers(a.csv)),
  'bot.add': command(
    v.object({
      login: Login,
      name: v.optional(v.string()),
      rooms: v.optional(v.array(v.string())),
      embed: v.optional(v.boolean()),
      directory: v.optional(v.boolean()),
      callbackUrl: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
    }),
    async (hub, a) => {
      // The URL is checked before the bot exists: a refused URL leaves nothing half made.
      if (a.callbackUrl !== undefined) hub.callbacks.checkUrl(a.callbackUrl);
      const added = await hub.addBot({
        login: a.login,
        name: a.name,
        rooms: a.rooms,
        canEmbed: a.embed,
        canManageUsers: a.directory,
      });
      if (a.callbackUrl === undefined) return added;
      const callback = await hub.callbacks.setCallback(a.login, { url: a.callbackUrl });
      return { ...added, callback: { url: callback.url, secret: callback.secret } };
    },
  ),
  // Calls to bots (issue 18): set, turn off, or re-key a bot's outgoing callback URL.
  'bot.callback': command(
    v.object({
      login: Login,
      url: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(2048))),
      off: v.optional(v.boolean()),
      newSecret: v.optional(v.boolean()),
    }),
    async (hub, a) => {
      if ([a.url !== undefined, a.off === true, a.newSecret === true].filter(Boolean).length !== 1)
        throw new HubError('bad_request', 'give one of --url URL, --off, --new-secret');
      return hub.callbacks.setCallback(a.login, { url: a.off ? null : a.url, newSecret: a.newSecret === true });
    },
  ),
  'bot.grant': command(
    v.object({
      login: Login,
      rooms: v.optional(v.array(v.string())),
      embed: v.optional(v.boolean()),
      directory: v.optional(v.boolean()),
    }),
    async (hub, a) => ({
      bot: await hub.grantBot(a.login, { rooms: a.rooms, canEmbed: a.embed, canManageUsers: a.directory }),
    }),
  ),
  'bot.token': command(v.object({ login: Login }), (hub, a) => hub.rotateBotToken(a.login)),
  'bot.revoke': command(v.object({ login: Login }), async (hub, a) => {
    await hub.revokeBot(a.login);
    return {};
  }),
  'bot.list': command(v.object({}), async (hub) => ({ bots: await hub.listBots() })),
  // Slash commands (issue 18): `beseda-hub command add|list|remove`, each bound to a bot.
  'command.add': command(
    v.object({
      name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)),
      bot: Login,
      description: v.optional(v.pipe(v.string(), v.maxLength(200))),
      usage: v.optional(v.pipe(v.string(), v.maxLength(100))),
    }),
    async (hub, a) => ({ command: await hub.commands.add(a) }),
  ),
  'command.list': command(v.object({}), async (hub) => ({ commands: await hub.commands.list() })),
  'command.remove': command(v.object({ name: v.pipe(v.string(), v.minLength(1), v.maxLength(40)) }), async (hub, a) => {
    await hub.commands.remove(a.name);
    return {};
  }),
  'hook.add': command(
    v.object({
      room: v.pipe(v.string(), v.minLength(1)),
      name: v.optional(v.string()),
      allowChannelOverride: v.optional(v.boolean()),
    }),
    (hub, a) => hub.addHook(a),
  ),
  'hook.list': command(v.object({}), async (hub) => ({ hooks: await hub.listHooks() })),
  'hook.revoke': command(v.object({ id: v.pipe(v.number(), v.safeInteger(), v.minValue(1)) }), async (hub, a) => {
    await hub.revokeHook(a.id);
    return {};
  }),
  announce: command(
    v.object({ to: v.pipe(v.string(), v.minLength(1)), text: v.string(), from: v.optional(Login) }),
    async (hub, a) => ({ message: await hub.announce(null, a) }),
  ),
  'announce.status': command(v.object({ seq: v.pipe(v.number(), v.safeInteger(), v.minValue(1)) }), (hub, a) =>
    hub.announcementStatus(null, a.seq),
  ),
  // The audit log (hub/ops/AuditLog.ts), newest first: `beseda-hub audit`.
  // Room administration (beseda-hub room …): a room by its name or id.
  'room.add': command(
    v.object({
      name: v.pipe(v.string(), v.minLength(1)),
      topic: v.optional(v.string()),
      owner: v.optional(Login),
      members: v.optional(v.array(Login)),
      closed: v.optional(v.boolean()),
    }),
    async (hub, a) => ({ room: await hub.roomAdmin.add(a) }),
  ),
  'room.list': command(v.object({ archived: v.optional(v.boolean()) }), async (hub, a) => ({
    rooms: await hub.roomAdmin.list(a.archived ?? false),
  })),
  'room.archive': command(v.object({ room: v.pipe(v.string(), v.minLength(1)) }), async (hub, a) => ({
    room: await hub.roomAdmin.archive(a.room),
  })),
  'room.unarchive': command(v.object({ room: v.pipe(v.string(), v.minLength(1)) }), async (hub, a) => ({
    room: await hub.roomAdmin.unarchive(a.room),
  })),
  'room.rename': command(
    v.object({ room: v.pipe(v.string(), v.minLength(1)), name: v.pipe(v.string(), v.minLength(1)) }),
    async (hub, a) => ({ room: await hub.roomAdmin.rename(a.room, a.name) }),
  ),
  'audit.list': command(
    v.object({
      since: v.optional(v.number()),
      until: v.optional(v.number()),
      actor: v.optional(v.string()),
      action: v.optional(v.string()),
      target: v.optional(v.string()),
      beforeId: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
      limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
    }),
    async (hub, a) => ({ entries: await hub.audit.list({ ...a, limit: a.limit ?? 100 }) }),
  ),
  // The web console's own (hub/admin/consoleAdminCommands.ts): user.update, user.setAdmin, online.list,
  // room.members, room.owner, announce.report, storage.status.
  ...consoleAdminCommands,
  // Directory sync and look-up (hub/identity/ldap/directoryAdminCommands.ts): directory.sync, directory.check.
  ...directoryAdminCommands,
  // Invitations and initial passwords (hub/identity/invitations/onboardingAdminCommands.ts): user.invite, user.onboard.
  ...onboardingAdminCommands,
  // Desktop releases served as updates (hub/admin/releaseAdminCommands.ts): release.add|list|rollout|remove|status.
  ...releaseAdminCommands,
} as const;

/** The name of an admin command. */
export type AdminCommandName = keyof typeof adminCommands;

/** What the caller sends with a command (before validation: optional fields may be left out). */
export type ArgsOf<Name extends AdminCommandName> = v.InferInput<(typeof adminCommands)[Name]['args']>;

/** What a command answers. */
export type ResultOf<Name extends AdminCommandName> = Awaited<ReturnType<(typeof adminCommands)[Name]['run']>>;

/**
 * Validates and runs one admin command; one that changed something is recorded in the audit log as
 * run by `osUser` (the CLI's OS account: sent over the admin socket, or this process's own), or
 * by `app` (an administrator in the web console, hub/admin/runConsoleCommand.ts).
 */
export async function runAdminCommand(
  hub: Hub,
  name: string,
  args: unknown,
  osUser: string = localOsUser(),
  app?: AppActor,
): Promise<unknown> {
  // Own names only: "constructor" or "toString" are not commands.
  const cmd = Object.hasOwn(adminCommands, name)
    ? (adminCommands as Record<string, AdminCommand<v.GenericSchema, unknown>>)[name]
    : undefined;
  if (!cmd) throw new HubError(ErrorCode.UnknownType, `unknown admin command "${name}"`);
  const parsed = v.safeParse(cmd.args, args);
  if (!parsed.success) throw new HubError(ErrorCode.BadRequest, `${name}: ${describeIssues(parsed.issues)}`);
  const result = await cmd.run(hub, parsed.output);
  await auditAdminCommand(hub, name, parsed.output, result, osUser, app);
  return result;
}
