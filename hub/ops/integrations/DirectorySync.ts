import { CloseCode } from '../../../common/protocol/errors.ts';
import type { Accounts } from '../Accounts.ts';
import type { AccountInfo, Actor } from '../Hub.ts';
import { recordAudit } from '../AuditLog.ts';
import type { HubContext } from '../HubContext.ts';
import { HubError } from '../HubError.ts';
import type { DirectoryEntry, ExternalEntry, ImportReport } from '../IntegrationTypes.ts';
import type { Presence } from '../Presence.ts';
import { toAccountInfo } from '../views.ts';
import type { AccountRecord } from '../../store/AccountStore.ts';
import type { DirectoryChanges, DirectoryPerson, ManagedAccount } from '../../store/IntegrationStore.ts';
import { branchRoomName } from './branchRoom.ts';
import { type CheckedEntry, checkEntry, checkExternalEntry, externalIdPattern } from './checkEntry.ts';
import { loginCandidate } from './generateLogin.ts';
import { type LineError, parseUserCsv } from './parseUserCsv.ts';
import { publishMoves } from './publishMoves.ts';
import type { UnknowablePassword } from './UnknowablePassword.ts';

/**
 * The people directory kept in step with the organisation's (1C: one `PUT /api/v1/users/{login}`
 * per person, or a CSV file once): creates and updates people, disables those who left, and keeps
 * each person in their branch's room. People created without a password cannot sign in with one
 * until IT sets it (`user passwd`); they can sign in through an embed link. Administrators and
 * bots are out of its reach (created, changed, disabled only with the admin CLI): a directory
 * token must not be able to take over or lock out the people who manage the hub.
 */
export class DirectorySync {
  constructor(
    private readonly ctx: HubContext,
    private readonly accounts: Accounts,
    private readonly presence: Presence,
    private readonly password: UnknowablePassword,
  ) {}

  /**
   * Creates or updates one person; fields left out stay as they are. With an actor (the HTTP API)
   * a change is recorded in the audit log (without the password).
   */
  async sync(input: DirectoryEntry, actor: Actor | null = null): Promise<{ user: AccountInfo; created: boolean }> {
    const { ctx } = this;
    const checked = checkEntry(input);
    if (!checked.ok) throw new HubError('bad_request', checked.reasons.join('; '));
    const entry = checked.entry;
    const existing = await ctx.store.accounts.findCredentials(entry.login);
    if (existing) refuseManaged(existing.account);
    let passwordHash: string | undefined;
    // A sync that sends the same password every night must not sign the person out every night.
    if (entry.password !== undefined) {
      const same =
        existing !== undefined && (await this.accounts.passwordMatches(entry.password, existing.passwordHash));
      if (!same) passwordHash = await this.accounts.hashNewPassword(entry.password);
    }
    const result = await ctx.store.integrations.syncPeople([{ person: personOf(entry), passwordHash }], {
      newPasswordHash: await this.password.get(),
      namer: branchRoomName,
      now: ctx.clock(),
    });
    // Checked again inside the write: the account may have been made an administrator or a bot meanwhile.
    if (result.kind === 'refused') throw managedRefusal(entry.login, result.reason);
    this.publish(result);
    const { account, outcome } = result.people[0]!;
    if (outcome !== 'unchanged') ctx.log.info({ userId: account.id, outcome }, 'directory sync');
    if (actor && outcome !== 'unchanged')
      await recordAudit(ctx, actor, 'api', outcome === 'created' ? 'user.create' : 'user.update', account.login, {
        ...input,
        userId: account.id,
      });
    return { user: toAccountInfo(account, this.presence), created: outcome === 'created' };
  }

  /**
   * Creates or updates the person linked to an external id (1C's `PUT /api/v1/users/by-external-id/{id}`);
   * fields left out stay as they are, null clears. A new person's login is generated once from the
   * name (generateLogin.ts) and never changes; `login` links an existing account that has no
   * external id yet; a login linked to another external id is a conflict.
   */
  async syncByExternalId(
    input: ExternalEntry,
    actor: Actor | null = null,
  ): Promise<{ user: AccountInfo; created: boolean }> {
    const { ctx } = this;
    const checked = checkExternalEntry(input);
    if (!checked.ok) throw new HubError('bad_request', checked.reasons.join('; '));
    const { externalId, login, password, ...fields } = checked.entry;
    const existing = await ctx.store.accounts.findUserByExternalId(externalId);
    if (existing) refuseManaged(existing);
    let passwordHash: string | undefined;
    if (password !== undefined) {
      const held = existing && (await ctx.store.accounts.findCredentials(existing.login));
      const same = held !== undefined && (await this.accounts.passwordMatches(password, held.passwordHash));
      if (!same) passwordHash = await this.accounts.hashNewPassword(password);
    }
    const result = await ctx.store.integrations.syncByExternalId(
      { externalId, person: fields, ...(login ? { login } : {}), ...(passwordHash ? { passwordHash } : {}) },
      {
        newPasswordHash: await this.password.get(),
        namer: branchRoomName,
        loginNamer: (attempt) => loginCandidate(fields.name, attempt),
        now: ctx.clock(),
      },
    );
    if (result.kind === 'refused') {
      if (result.reason !== 'linked_elsewhere') throw managedRefusal(result.login, result.reason);
      throw new HubError(
        'conflict',
        `the login "${result.login}" is linked to another external id; an account's external id never changes (unlink it with the admin CLI or send no login)`,
      );
    }
    this.publish(result);
    const { account, outcome, linked } = result;
    if (outcome !== 'unchanged') ctx.log.info({ userId: account.id, outcome, linked }, 'directory sync');
    if (actor && outcome !== 'unchanged')
      await recordAudit(ctx, actor, 'api', outcome === 'created' ? 'user.create' : 'user.update', account.login, {
        ...input,
        userId: account.id,
      });
    return { user: toAccountInfo(account, this.presence), created: outcome === 'created' };
  }

  /** The person linked to an external id, or `not_found`. */
  async findByExternalId(externalId: string): Promise<AccountInfo> {
    if (!externalIdPattern.test(externalId))
      throw new HubError('bad_request', 'an external id is 1 to 200 of A-Z a-z 0-9 . _ : { } -');
    const account = await this.ctx.store.accounts.findUserByExternalId(externalId);
    if (!account) throw new HubError('not_found', `nobody has the external id "${externalId}"`);
    return toAccountInfo(account, this.presence);
  }

  /** Disables a person (closing their connections at once); their messages stay. */
  async deactivate(loginInput: string, actor: Actor | null = null): Promise<AccountInfo> {
    const { ctx } = this;
    const login = loginInput.trim().toLowerCase();
    const account = await ctx.store.accounts.findUserByLogin(login);
    if (!account) throw new HubError('not_found', 'no such account');
    refuseManaged(account);
    const result = await ctx.store.integrations.deactivatePerson(account.id, ctx.clock());
    if (result.kind === 'refused') {
      if (result.reason === 'not_found') throw new HubError('not_found', 'no such account');
      throw managedRefusal(account.login, result.reason);
    }
    if (result.changed) this.disconnect(account.id, 'disabled');
    if (actor && result.changed)
      await recordAudit(ctx, actor, 'api', 'user.deactivate', account.login, { userId: account.id });
    return toAccountInfo(result.account, this.presence);
  }

  /**
   * Loads a CSV user list (see {@link parseUserCsv}) all or nothing: every line is checked first,
   * then everything is written in one atomic store write; on any error nothing is imported and every
   * error is reported with its line number.
   */
  async importCsv(csv: string): Promise<ImportReport> {
    const { ctx } = this;
    const { entries, errors } = parseUserCsv(csv);
    const checked: { line: number; entry: CheckedEntry }[] = [];
    const seen = new Map<string, number>();
    for (const { line, entry } of entries) {
      const result = checkEntry(entry);
      if (!result.ok) {
        for (const reason of result.reasons) errors.push({ line, reason });
        continue;
      }
      const login = result.entry.login;
      const first = seen.get(login);
      if (first !== undefined) {
        errors.push({ line, reason: `the login "${login}" is also on line ${first}` });
        continue;
      }
      seen.set(login, line);
      const existing = await ctx.store.accounts.findUserByLogin(login);
      const managed = existing && managedKind(existing);
      if (managed) {
        errors.push({ line, reason: managedRefusal(login, managed).message });
        continue;
      }
      checked.push({ line, entry: result.entry });
    }
    if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

    // A CSV list has no password column: new people get the unknowable password.
    const writes = checked.map(({ entry }) => ({ person: personOf(entry) }));
    const result = await ctx.store.integrations.syncPeople(writes, {
      newPasswordHash: await this.password.get(),
      namer: branchRoomName,
      now: ctx.clock(),
    });
    if (result.kind === 'refused') {
      const { line, entry } = checked[result.index]!;
      const error: LineError = { line, reason: managedRefusal(entry.login, result.reason).message };
      return { ok: false, errors: [error] };
    }
    this.publish(result);
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const { outcome } of result.people) counts[outcome]++;
    ctx.log.info(counts, 'user import');
    return { ok: true, ...counts };
  }

  /** Puts a person created by `user add --branch` in their branch's room. */
  async joinOwnBranch(userId: number): Promise<void> {
    const { ctx } = this;
    this.publish(await ctx.store.integrations.joinBranchRoom(userId, branchRoomName, ctx.clock()));
  }

  /** Publishes what a directory write changed, once it committed. */
  private publish(changes: DirectoryChanges): void {
    const { ctx } = this;
    for (const conversationId of changes.createdRooms) ctx.log.info({ conversationId }, 'branch room created');
    if (changes.generalAdded.length > 0) {
      ctx.events.publish({
        audience: { to: 'everyone' },
        frame: { type: 'members', conversationId: changes.generalRoomId, added: changes.generalAdded, removed: [] },
      });
    }
    publishMoves(ctx, changes.moves);
    for (const { userId, reason } of changes.signedOut) this.disconnect(userId, reason);
  }

  private disconnect(userId: number, reason: 'password_changed' | 'disabled'): void {
    if (reason === 'disabled') this.ctx.events.disconnect({ userId }, CloseCode.AccountDisabled, 'account disabled');
    else this.ctx.events.disconnect({ userId }, CloseCode.SessionRevoked, 'password changed');
  }
}

/** What the store writes of a checked entry: never the password itself (only its hash, separately). */
function personOf(entry: CheckedEntry): DirectoryPerson {
  const { login, name, branch, email, position, phone, active } = entry;
  return { login, name, branch, email, position, phone, active };
}

/** Whether directory sync may not touch this account: an administrator's or a bot's. */
function managedKind(account: AccountRecord): ManagedAccount | undefined {
  if (account.isAdmin) return 'administrator';
  if (account.isBot) return 'bot';
  return undefined;
}

/** Why directory sync may not touch this account. */
function managedRefusal(login: string, kind: ManagedAccount): HubError {
  if (kind === 'administrator')
    return new HubError(
      'forbidden',
      `the login "${login}" belongs to an administrator; directory sync and import never create, change or disable administrators (use the admin CLI: beseda-hub user …)`,
    );
  return new HubError('conflict', `the login "${login}" belongs to a bot; bots are managed with "bot" commands`);
}

function refuseManaged(account: AccountRecord): void {
  const kind = managedKind(account);
  if (kind) throw managedRefusal(account.login, kind);
}
