import { InvalidCredentialsError } from 'ldapts';
import { roomNameKey } from '../../../common/protocol/roomNameKey.ts';
import { writeAudit } from '../../ops/AuditLog.ts';
import type { HubContext } from '../../ops/HubContext.ts';
import { HubError } from '../../ops/HubError.ts';
import type { RoomAdmin } from '../../ops/RoomAdmin.ts';
import type { AccountRecord } from '../../store/AccountStore.ts';
import { applySync, type SyncCounts, writePeople } from './applySync.ts';
import type { DirectorySettings } from './DirectorySettings.ts';
import { type LdapPerson, readGroupMembers, readPeople, readPerson } from './ldapPeople.ts';
import { parseLoginName } from './parseLoginName.ts';
import { type DirectorySide, type HubSide, planSync, type SyncPlan } from './planSync.ts';
import { withDirectory } from './withDirectory.ts';

/** What `directory sync` did or (dry run) would do. */
export interface SyncReport extends SyncCounts {
  dryRun: boolean;
  plan: SyncPlan;
  /** One line for the log and the CLI. */
  summary: string;
}

/** What `directory check LOGIN` found. */
export interface CheckReport {
  /** The login the typed name means, or why it means none. */
  login: string | null;
  reason?: string;
  entry?: LdapPerson;
  /** The Beseda account with that login and how it signs in. */
  account?: { login: string; authSource: string; disabled: boolean; isAdmin: boolean };
}

/** Needs from the hub: the throw-away password hash of new accounts, room administration. */
export interface DirectoryServiceDeps {
  unknowableHash: () => Promise<string>;
  roomAdmin: RoomAdmin;
}

/**
 * Sign-in through LDAP / Active Directory, and directory sync. The directory password is checked
 * by binding as the person's entry and never stored; local accounts (bots, the bootstrap
 * administrator, anyone with `auth_source = 'local'`) never reach the directory.
 */
export class DirectoryService {
  /** One sync at a time: a periodic one and `directory sync` must not interleave their writes. */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: HubContext,
    readonly settings: DirectorySettings,
    private readonly deps: DirectoryServiceDeps,
  ) {}

  /**
   * Whether this typed login signs in through the directory: a `DOMAIN\name` or `name@suffix`
   * form, or a name without a local account of its own.
   */
  async handles(typed: string): Promise<boolean> {
    if (/[\\@]/.test(typed)) return true;
    const link = await this.ctx.store.directoryLinks.findByLogin(typed.trim().toLowerCase());
    return link === undefined || link.authSource === 'directory';
  }

  /** The login a typed name means (the sign-in throttle's key), or the typed text folded. */
  loginKey(typed: string): string {
    const parsed = parseLoginName(typed, this.settings);
    return parsed.ok ? parsed.name : typed.trim().toLowerCase().slice(0, 64);
  }

  /**
   * Checks the password by binding as the person's entry, then creates (first sign-in) or updates
   * their account as a sync would. Throws `bad_credentials` for anything that is not a right
   * password of an enabled entry, `account_disabled`, and DirectoryUnavailable.
   */
  async signIn(typed: string, password: string): Promise<AccountRecord> {
    const { ctx } = this;
    const wrong = () => new HubError('bad_credentials', 'wrong login or password');
    const parsed = parseLoginName(typed, this.settings);
    // An empty password is an anonymous bind, which LDAP servers answer with success.
    if (!parsed.ok || password === '' || typed.length > 300) throw wrong();
    const local = await ctx.store.directoryLinks.findByLogin(parsed.name);
    // A local administrator or bot never signs in with a directory password, whatever the form typed.
    if (local && local.authSource === 'local' && (local.isAdmin || local.isBot)) throw wrong();
    const person = await withDirectory(this.settings, async (client) => {
      const found = await readPerson(client, this.settings, parsed.name);
      if (!found) return undefined;
      try {
        await client.bind(found.dn, password);
      } catch (err) {
        if (err instanceof InvalidCredentialsError) return undefined;
        throw err;
      }
      return found;
    });
    if (!person) throw wrong();
    if (person.disabled) throw new HubError('account_disabled', 'the account is disabled in the directory');
    const side = await this.hubSide(new Map());
    const plan = planSync({ people: [person], groups: [] }, side);
    const write = plan.create[0] ?? plan.update[0];
    if (write) {
      // Sign-in never re-enables an account: that is the sync's (or IT's) decision.
      const { active: _ignored, ...person } = write.person;
      await writePeople(ctx, [{ ...write, person }], this.deps);
    } else if (plan.skipped.length > 0) {
      ctx.log.warn({ login: parsed.name, reason: plan.skipped[0]!.reason }, 'directory sign-in refused');
      throw wrong();
    }
    const account = await ctx.store.accounts.findUserByLogin(parsed.name);
    if (!account) throw wrong();
    if (account.disabled) throw new HubError('account_disabled', 'the account is disabled');
    if (plan.create.length > 0) ctx.log.info({ userId: account.id }, 'account created at first directory sign-in');
    return account;
  }

  /** What the hub finds for a login: the directory entry (no password checked) and the account. */
  async check(typed: string): Promise<CheckReport> {
    const parsed = parseLoginName(typed, this.settings);
    if (!parsed.ok) return { login: null, reason: parsed.reason };
    const entry = await withDirectory(this.settings, (client) => readPerson(client, this.settings, parsed.name));
    const link = await this.ctx.store.directoryLinks.findByLogin(parsed.name);
    const report: CheckReport = { login: parsed.name };
    if (entry) report.entry = entry;
    else report.reason = 'no entry with this login under baseDn matches userFilter';
    if (link)
      report.account = {
        login: link.login,
        authSource: link.authSource,
        disabled: link.disabled,
        isAdmin: link.isAdmin,
      };
    return report;
  }

  /** Reads the directory, plans, and (unless a dry run) applies; one sync at a time. */
  sync(options: { dryRun: boolean; auditActor?: string }): Promise<SyncReport> {
    const run = this.running.then(() => this.syncNow(options));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async syncNow({ dryRun, auditActor }: { dryRun: boolean; auditActor?: string }): Promise<SyncReport> {
    const { ctx, settings } = this;
    const directory = await withDirectory(settings, async (client): Promise<DirectorySide> => {
      const people = await readPeople(client, settings);
      const groups = [];
      for (const g of settings.groupRooms) groups.push({ ...g, members: await readGroupMembers(client, g.group) });
      return { people, groups };
    });
    const plan = planSync(directory, await this.hubSide(await this.roomMembers()));
    const empty: SyncCounts = {
      created: 0,
      updated: 0,
      disabled: 0,
      enabled: 0,
      roomAdds: 0,
      roomRemoves: 0,
      roomsCreated: 0,
      skipped: plan.skipped.length,
      roomErrors: [],
    };
    const counts = dryRun ? planned(plan, empty) : await applySync(ctx, plan, this.deps);
    const summary = summarize(counts, dryRun, directory.people.length);
    ctx.log.info({ ...counts, dryRun }, summary);
    if (!dryRun && auditActor) {
      const { roomErrors, ...numbers } = counts;
      await writeAudit(ctx, {
        actor: auditActor,
        source: 'cli',
        action: 'directory.sync',
        target: null,
        detail: { ...numbers, roomErrors: roomErrors.length },
      });
    }
    return { ...counts, dryRun, plan, summary };
  }

  private async hubSide(roomMembers: HubSide['roomMembers']): Promise<HubSide> {
    const { store } = this.ctx;
    return { accounts: await store.accounts.listUsers(), links: await store.directoryLinks.list(), roomMembers };
  }

  /** Each mapped room's member logins (undefined: no active room of that name). */
  private async roomMembers(): Promise<Map<string, string[] | undefined>> {
    const { store } = this.ctx;
    const out = new Map<string, string[] | undefined>();
    for (const { room } of this.settings.groupRooms) {
      // idsByNameKey lists archived rooms too (active ones first): only an active one counts.
      const [id] = await store.roomAdmin.idsByNameKey(roomNameKey(room));
      const active = id === undefined ? undefined : (await store.roomAdmin.list(false)).find((r) => r.id === id);
      if (!active || id === undefined) {
        out.set(room, undefined);
        continue;
      }
      const members = await store.accounts.findUsersByIds(await store.conversations.memberIds(id));
      out.set(
        room,
        members.map((m) => m.login),
      );
    }
    return out;
  }
}

/** The counts a plan would give, for a dry run. */
function planned(plan: SyncPlan, counts: SyncCounts): SyncCounts {
  const out = {
    ...counts,
    created: plan.create.length,
    updated: plan.update.length,
    disabled: plan.disableGone.length,
  };
  for (const w of plan.update) {
    if (w.changes.includes('disabled')) out.disabled++;
    if (w.changes.includes('enabled')) out.enabled++;
  }
  for (const r of plan.rooms) {
    if (r.create && r.add.length > 0) out.roomsCreated++;
    out.roomAdds += r.add.length;
    out.roomRemoves += r.remove.length;
  }
  return out;
}

function summarize(c: SyncCounts, dryRun: boolean, found: number): string {
  const verb = dryRun ? 'directory sync (dry run, nothing changed) would make' : 'directory sync made';
  const rooms = `${c.roomAdds} room additions, ${c.roomRemoves} removals, ${c.roomsCreated} rooms created`;
  const errors = c.roomErrors.length > 0 ? `; ${c.roomErrors.length} room mappings failed` : '';
  return `${verb}: ${c.created} created, ${c.updated} updated, ${c.disabled} disabled, ${c.enabled} enabled, ${rooms}; ${c.skipped} skipped; ${found} people in the directory${errors}`;
}
