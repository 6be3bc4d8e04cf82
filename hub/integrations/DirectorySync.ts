import { CloseCode } from '../../common/protocol/errors.ts';
import type { Accounts } from '../ops/Accounts.ts';
import type { AccountInfo } from '../ops/Hub.ts';
import type { HubContext } from '../ops/HubContext.ts';
import type { HubEvent } from '../ops/HubEvent.ts';
import { HubError } from '../ops/HubError.ts';
import type { DirectoryEntry, ImportReport } from '../ops/IntegrationTypes.ts';
import type { Presence } from '../ops/Presence.ts';
import { toAccountInfo } from '../ops/views.ts';
import { findConversation, generalRoomId } from '../store/conversations.ts';
import { addMember } from '../store/members.ts';
import { revokeUserSessions } from '../store/sessions.ts';
import { updateUserProfile } from '../store/userProfiles.ts';
import {
  findUserById,
  findUserByLogin,
  insertUser,
  setPasswordHash,
  setUserDisabled,
  type UserRow,
} from '../store/users.ts';
import { branchRoom, existingBranchRoom } from './branchRoom.ts';
import { type CheckedEntry, checkEntry } from './checkEntry.ts';
import { joinRoom, leaveRoom } from './membership.ts';
import { type LineError, parseUserCsv } from './parseUserCsv.ts';
import type { UnknowablePassword } from './UnknowablePassword.ts';

type Outcome = 'created' | 'updated' | 'unchanged';

/** What a write produced, published only after it commits. */
class Changes {
  events: HubEvent[] = [];
  generalAdded: number[] = [];
  disconnects: { userId: number; code: number; reason: string }[] = [];

  publish(ctx: HubContext): void {
    if (this.generalAdded.length > 0) {
      ctx.events.publish({
        audience: { to: 'everyone' },
        frame: { type: 'members', conversationId: generalRoomId(ctx.db), added: this.generalAdded, removed: [] },
      });
    }
    for (const event of this.events) ctx.events.publish(event);
    for (const d of this.disconnects) ctx.events.disconnect({ userId: d.userId }, d.code, d.reason);
  }
}

/** Refusal of a whole import because of one line: rolls the transaction back. */
class LineFailure extends Error {
  constructor(readonly error: LineError) {
    super(error.reason);
  }
}

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

  /** Creates or updates one person; fields left out stay as they are. */
  async sync(input: DirectoryEntry): Promise<{ user: AccountInfo; created: boolean }> {
    const { ctx } = this;
    const checked = checkEntry(input);
    if (!checked.ok) throw new HubError('bad_request', checked.reasons.join('; '));
    const entry = checked.entry;
    const existing = findUserByLogin(ctx.db, entry.login);
    if (existing) refuseManaged(existing);
    let explicit: string | undefined;
    // A sync that sends the same password every night must not sign the person out every night.
    if (entry.password !== undefined) {
      const same =
        existing !== undefined && (await this.accounts.passwordMatches(entry.password, existing.password_hash));
      if (!same) explicit = await this.accounts.hashNewPassword(entry.password);
    }
    const forNew = await this.password.get();
    const changes = new Changes();
    const outcome = ctx.db.transaction(() => this.apply(entry, forNew, explicit, changes)).immediate();
    changes.publish(ctx);
    const row = findUserByLogin(ctx.db, entry.login)!;
    if (outcome !== 'unchanged') ctx.log.info({ userId: row.id, outcome }, 'directory sync');
    return { user: toAccountInfo(row, this.presence), created: outcome === 'created' };
  }

  /** Disables a person (closing their connections at once); their messages stay. */
  async deactivate(loginInput: string): Promise<AccountInfo> {
    const { ctx } = this;
    const row = findUserByLogin(ctx.db, loginInput.trim().toLowerCase());
    if (!row) throw new HubError('not_found', 'no such account');
    refuseManaged(row);
    const changes = new Changes();
    ctx.db.transaction(() => this.setActive(row.id, row.disabled === 1, false, changes)).immediate();
    changes.publish(ctx);
    return toAccountInfo(findUserById(ctx.db, row.id)!, this.presence);
  }

  /**
   * Loads a CSV user list (see {@link parseUserCsv}) all or nothing: every line is checked first,
   * then everything is written in one transaction; on any error nothing is imported and every
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
      const existing = findUserByLogin(ctx.db, login);
      const refusal = existing && managedRefusal(existing);
      if (refusal) {
        errors.push({ line, reason: refusal.message });
        continue;
      }
      checked.push({ line, entry: result.entry });
    }
    if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

    const forNew = await this.password.get();
    const changes = new Changes();
    const counts = { created: 0, updated: 0, unchanged: 0 };
    try {
      ctx.db
        .transaction(() => {
          for (const { line, entry } of checked) {
            try {
              counts[this.apply(entry, forNew, undefined, changes)]++;
            } catch (err) {
              if (err instanceof HubError) throw new LineFailure({ line, reason: err.message });
              throw err;
            }
          }
        })
        .immediate();
    } catch (err) {
      if (err instanceof LineFailure) return { ok: false, errors: [err.error] };
      throw err;
    }
    changes.publish(ctx);
    ctx.log.info(counts, 'user import');
    return { ok: true, ...counts };
  }

  /** Puts a person created by `user add --branch` in their branch's room. */
  joinOwnBranch(userId: number): void {
    const { ctx } = this;
    const row = findUserById(ctx.db, userId);
    if (!row || row.is_bot === 1 || !row.branch) return;
    const branch = row.branch;
    const events = ctx.db.transaction(() => joinRoom(ctx, branchRoom(ctx, branch), userId)).immediate();
    for (const event of events) ctx.events.publish(event);
  }

  /** Writes one entry inside the caller's transaction. */
  private apply(entry: CheckedEntry, forNew: string, explicitHash: string | undefined, changes: Changes): Outcome {
    const { ctx } = this;
    const now = ctx.clock();
    const row = findUserByLogin(ctx.db, entry.login);
    // Again inside the transaction: the account may have been made an administrator or a bot meanwhile.
    if (row) refuseManaged(row);
    if (!row) {
      const branch = entry.branch ?? null;
      const id = insertUser(ctx.db, {
        login: entry.login,
        name: entry.name,
        passwordHash: explicitHash ?? forNew,
        isAdmin: false,
        isBot: false,
        branch,
        email: entry.email ?? null,
        createdAt: now,
      });
      if (entry.active === false) setUserDisabled(ctx.db, id, true);
      const generalId = generalRoomId(ctx.db);
      addMember(ctx.db, generalId, id, now, findConversation(ctx.db, generalId)!.last_seq);
      changes.generalAdded.push(id);
      if (branch) changes.events.push(...joinRoom(ctx, branchRoom(ctx, branch), id));
      return 'created';
    }

    let changed = false;
    const next = {
      login: row.login,
      name: entry.name,
      branch: entry.branch === undefined ? row.branch : entry.branch,
      email: entry.email === undefined ? row.email : entry.email,
    };
    if (next.name !== row.name || next.branch !== row.branch || next.email !== row.email) {
      updateUserProfile(ctx.db, row.id, next);
      changed = true;
    }
    if (next.branch !== row.branch) {
      const from = row.branch ? existingBranchRoom(ctx, row.branch) : undefined;
      const to = next.branch ? branchRoom(ctx, next.branch) : undefined;
      if (from !== to) {
        if (from !== undefined) changes.events.push(...leaveRoom(ctx, from, row.id));
        if (to !== undefined) changes.events.push(...joinRoom(ctx, to, row.id));
      }
    }
    if (explicitHash !== undefined) {
      setPasswordHash(ctx.db, row.id, explicitHash);
      revokeUserSessions(ctx.db, row.id, now);
      changes.disconnects.push({ userId: row.id, code: CloseCode.SessionRevoked, reason: 'password changed' });
      changed = true;
    }
    if (entry.active !== undefined && this.setActive(row.id, row.disabled === 1, entry.active, changes)) changed = true;
    return changed ? 'updated' : 'unchanged';
  }

  /** Enables or disables an account inside a transaction; returns whether anything changed. */
  private setActive(userId: number, disabled: boolean, active: boolean, changes: Changes): boolean {
    if (disabled !== active) return false;
    setUserDisabled(this.ctx.db, userId, !active);
    if (!active) {
      // As `user disable`: sessions end too, so re-enabling does not revive old devices.
      revokeUserSessions(this.ctx.db, userId, this.ctx.clock());
      changes.disconnects.push({ userId, code: CloseCode.AccountDisabled, reason: 'account disabled' });
    }
    return true;
  }
}

/** Why directory sync may not touch this account (an administrator or a bot), if it may not. */
function managedRefusal(row: UserRow): HubError | undefined {
  if (row.is_admin === 1)
    return new HubError(
      'forbidden',
      `the login "${row.login}" belongs to an administrator; directory sync and import never create, change or disable administrators (use the admin CLI: beseda-hub user …)`,
    );
  if (row.is_bot === 1)
    return new HubError('conflict', `the login "${row.login}" belongs to a bot; bots are managed with "bot" commands`);
  return undefined;
}

function refuseManaged(row: UserRow): void {
  const refusal = managedRefusal(row);
  if (refusal) throw refusal;
}
