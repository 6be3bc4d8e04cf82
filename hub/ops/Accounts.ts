import { CloseCode } from '../../common/protocol/errors.ts';
import type { DirectoryService } from '../identity/ldap/DirectoryService.ts';
import { DirectoryUnavailable } from '../identity/ldap/DirectoryUnavailable.ts';
import type { User } from '../../common/protocol/model.ts';
import type { AccountRecord } from '../store/AccountStore.ts';
import { SessionTouches } from './SessionTouches.ts';
import { ConcurrencyLimiter } from './ConcurrencyLimiter.ts';
import type { AccountInfo, Actor } from './Hub.ts';
import type { HubContext } from './HubContext.ts';
import { HubError } from './HubError.ts';
import { SharedLoginThrottle } from './SharedLoginThrottle.ts';
import type { LoginOutcome } from './LoginThrottle.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import type { Presence } from './Presence.ts';
import { hashToken, isWellFormedToken, newToken } from './tokens.ts';
import { defaultSessionLifetime, type SessionLifetime, sessionExpired } from '../identity/sessionLifetime.ts';
import { toAccountInfo, toUser } from './views.ts';

/** The login rule: lower-case Latin letters, digits, `.`, `_`, `-`; 2 to 32 characters. */
export const loginPattern = /^[a-z0-9][a-z0-9._-]{1,31}$/;
/**
 * Logins that would read as something else in a message (`@all`, `@here`…). No path that creates
 * accounts (CLI, bots, directory sync, CSV import) may take one: they all ask {@link loginProblem}.
 */
export const reservedLogins: ReadonlySet<string> = new Set(['all', 'все', 'here', 'channel', 'everyone']);
const minPasswordLength = 8;
const maxPasswordLength = 1024;
/** A session's last-used time is written at most this often (each write is an fsync). */
const touchIntervalMs = 60_000;

/** Lower-cases and trims a login as typed. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}

/** Why a normalised login cannot be an account's (the pattern, a reserved word), or undefined if it can. */
export function loginProblem(login: string): string | undefined {
  if (!loginPattern.test(login))
    return `"${login.slice(0, 40)}" is not a login: 2 to 32 Latin letters, digits, ".", "_" or "-", starting with a letter or digit`;
  if (reservedLogins.has(login)) return `the login "${login}" is reserved: it would read as a mention of everyone`;
  return undefined;
}

/** Settings of {@link Accounts}. */
export interface AccountsOptions {
  scryptN: number;
  maxConcurrentHashes: number;
  /** Sign-ins that may wait for a hashing slot before further ones get `rate_limited`. */
  maxHashQueue: number;
  /** Idle and absolute session lifetimes (`--session-idle`, `--session-max`); the defaults when absent. */
  lifetime?: SessionLifetime;
}

/** Accounts, passwords and sessions. */
export class Accounts {
  private readonly throttle: SharedLoginThrottle;
  private readonly hashing: ConcurrencyLimiter;
  /** A hash of nothing, checked for unknown logins so they cost as much as known ones. */
  private readonly dummyHash: Promise<string>;
  /** Directory sign-in (LDAP / Active Directory, `--directory`); null: local passwords only. */
  private directory: DirectoryService | null = null;
  /** Session uses, written in batches (a reconnect storm is one commit, not one per socket). */
  readonly touches: SessionTouches;

  constructor(
    private readonly ctx: HubContext,
    private readonly presence: Presence,
    private readonly options: AccountsOptions,
  ) {
    this.throttle = new SharedLoginThrottle(ctx.sharedLimits, 'signin');
    this.hashing = new ConcurrencyLimiter(options.maxConcurrentHashes, options.maxHashQueue);
    this.touches = new SessionTouches(ctx);
    // Computed up front so the first unknown login costs no more than any other.
    this.dummyHash = hashPassword(generatePassword(), options.scryptN);
  }

  /** Checks the passwords of directory accounts (and unknown logins) by binding to the directory from now on. */
  useDirectory(directory: DirectoryService): void {
    this.directory = directory;
  }

  /** Failed and throttled sign-ins since start (read by /metrics). */
  get loginCounts(): Readonly<{ failed: number; refused: number }> {
    return this.throttle.counts;
  }

  /** Signs in with login and password from `source` (the client address); returns a new session. */
  async login(
    loginInput: string,
    password: string,
    source: string,
  ): Promise<{ token: string; user: User; actor: Actor }> {
    const { ctx } = this;
    const login = normalizeLogin(loginInput).slice(0, 64);
    if (password.length > maxPasswordLength) throw new HubError('bad_request', 'the password is too long');
    // Local accounts (bots, the bootstrap administrator) keep local passwords, directory or not.
    const user =
      this.directory && (await this.directory.handles(loginInput))
        ? await this.checkDirectory(this.directory, loginInput, password, source)
        : await this.checkCredentials(login, password, source);

    const { token, hash } = newToken();
    const session = await ctx.store.accounts.createSession({
      userId: user.id,
      tokenHash: hash,
      source,
      scope: 'full',
      now: ctx.clock(),
    });
    // The store checks the account again as it writes: it may have been disabled since the check.
    if (session.kind === 'refused') throw new HubError('account_disabled', 'the account is disabled');
    const { sessionId, account } = session;
    ctx.log.info({ userId: account.id, sessionId, source }, 'signed in');
    return { token, user: toUser(account, this.presence), actor: actorOf(account, sessionId) };
  }

  /**
   * The account if the password is right. Counted by the throttle before any hashing (reserve,
   * then settle), so a burst of guesses gets only the free allowance checked; the hash waits in a
   * queue shared fairly between source addresses and, within one, between logins.
   */
  private async checkCredentials(login: string, password: string, source: string): Promise<AccountRecord> {
    const { ctx } = this;
    const attempt = await this.throttle.reserve(login, source, ctx.clock());
    if (!attempt.ok) {
      ctx.log.debug({ source, retryAfterMs: attempt.retryAfterMs }, 'sign-in throttled');
      throw new HubError('rate_limited', 'too many failed sign-in attempts; wait and try again', attempt.retryAfterMs);
    }
    const { ticket } = attempt;
    let outcome: LoginOutcome = 'unchecked';
    try {
      const found = loginPattern.test(login) ? await ctx.store.accounts.findCredentials(login) : undefined;
      const row = found?.account;
      // Unknown logins cost a hash too: timing must not tell which logins exist.
      const encoded = found?.passwordHash ?? (await this.dummy());
      // A login that signed in from this address before queues as a party of its own, so a flood of
      // other logins from the same address (an office behind one NAT address) cannot crowd it out.
      const group = ticket.known ? `${ticket.source} ${login}` : ticket.source;
      const ok = await this.hashing.run(() => verifyPassword(password, encoded), { group, member: login });
      if (!row || !ok) {
        outcome = 'failed';
        ctx.log.info({ userId: row?.id, source }, 'sign-in failed');
        throw new HubError('bad_credentials', 'wrong login or password');
      }
      // Re-read: the account may have been disabled while the hash was computed.
      const user = await ctx.store.accounts.findUserById(row.id);
      if (!user || user.disabled) throw new HubError('account_disabled', 'the account is disabled');
      outcome = 'succeeded';
      return user;
    } finally {
      // A refusal by a full hashing queue settles as 'unchecked': no password was tried.
      await this.throttle.settle(ticket, outcome, ctx.clock());
    }
  }

  /**
   * A directory sign-in (hub/identity/ldap): the same throttle as local ones, keyed by the login
   * the typed name means; a directory that does not answer is `unavailable`, never a wrong password.
   */
  private async checkDirectory(
    directory: DirectoryService,
    typed: string,
    password: string,
    source: string,
  ): Promise<AccountRecord> {
    const { ctx } = this;
    const attempt = await this.throttle.reserve(directory.loginKey(typed), source, ctx.clock());
    if (!attempt.ok)
      throw new HubError('rate_limited', 'too many failed sign-in attempts; wait and try again', attempt.retryAfterMs);
    let outcome: LoginOutcome = 'unchecked';
    try {
      const account = await directory.signIn(typed, password);
      outcome = 'succeeded';
      return account;
    } catch (err) {
      if (err instanceof HubError && err.code === 'bad_credentials') {
        outcome = 'failed';
        ctx.log.info({ source }, 'directory sign-in failed');
      }
      if (!(err instanceof DirectoryUnavailable)) throw err;
      ctx.log.warn({ err: err.message, source }, 'directory sign-in: the directory does not answer');
      throw new HubError(
        'unavailable',
        'the directory (Active Directory / LDAP) does not answer; try again in a few minutes',
      );
    } finally {
      await this.throttle.settle(attempt.ticket, outcome, ctx.clock());
    }
  }

  /** The actor of a live session token; null if unknown, revoked or the account is disabled. */
  async authenticate(token: string): Promise<Actor | null> {
    if (!isWellFormedToken(token)) return null;
    const { ctx } = this;
    const session = await ctx.store.accounts.findSession(hashToken(token));
    if (!session || session.revoked || session.disabled) return null;
    const { sessionId, userId, isBot } = session;
    const now = ctx.clock();
    // A use still waiting to be written counts as written.
    const lastUsedAt = Math.max(session.lastUsedAt, this.touches.pendingAt(sessionId) ?? 0);
    // A session unused for too long, or too old, has ended (issue 16): the client signs in again.
    if (sessionExpired({ ...session, lastUsedAt }, this.options.lifetime ?? defaultSessionLifetime, now)) return null;
    if (now - lastUsedAt >= touchIntervalMs) this.touches.touch(sessionId, now);
    // A chat session (embed link) never carries administrator rights, even if the account has
    // them now: its scope was fixed when it was made.
    if (session.scope === 'chat') return { userId, sessionId, isAdmin: false, isBot, chatOnly: true };
    return { userId, sessionId, isAdmin: session.isAdmin, isBot };
  }

  /** Revokes the actor's session and closes its connections. */
  async logout(actor: Actor): Promise<void> {
    await this.ctx.store.accounts.revokeSession(actor.sessionId, this.ctx.clock());
    this.ctx.events.disconnect({ sessionId: actor.sessionId }, CloseCode.SessionRevoked, 'signed out');
  }

  /** Creates an account (people join the general room); generates a password if none is given. */
  async createUser(input: {
    login: string;
    name: string;
    password?: string;
    isAdmin?: boolean;
    isBot?: boolean;
    branch?: string | null;
    email?: string | null;
  }): Promise<{ user: AccountInfo; generatedPassword?: string }> {
    const { ctx } = this;
    const login = normalizeLogin(input.login);
    const problem = loginProblem(login);
    if (problem) throw new HubError('bad_request', problem);
    const name = checkName(input.name);
    const generatedPassword = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generatedPassword!;
    checkPassword(password);
    const taken = () => new HubError('conflict', `the login "${login}" is taken`);
    // Checked before the costly hash; the store checks again as it writes (another createUser may
    // have finished while we hashed).
    if (await ctx.store.accounts.findUserByLogin(login)) throw taken();
    const isBot = input.isBot ?? false;
    const passwordHash = await this.hashing.run(() => hashPassword(password, this.options.scryptN));

    const created = await ctx.store.accounts.createUser({
      login,
      name,
      passwordHash,
      isAdmin: input.isAdmin ?? false,
      isBot,
      branch: emptyToNull(input.branch),
      email: emptyToNull(input.email),
      createdAt: ctx.clock(),
      // People are in the general room; bots only where they are put.
      joinGeneral: !isBot,
    });
    if (created.kind === 'refused') throw taken();
    const { account, generalRoomId } = created;
    if (generalRoomId !== null) {
      ctx.events.publish({
        audience: { to: 'everyone' },
        frame: { type: 'members', conversationId: generalRoomId, added: [account.id], removed: [] },
      });
    }
    ctx.log.info({ userId: account.id, isBot }, 'account created');
    const user = toAccountInfo(account, this.presence);
    return generatedPassword === undefined ? { user } : { user, generatedPassword };
  }

  /** Sets (or generates) a new password and ends every session of the user. */
  async setPassword(loginInput: string, password?: string): Promise<{ generatedPassword?: string }> {
    const { ctx } = this;
    const row = await this.requireAccount(loginInput);
    // A directory account's password is the directory's: one set here would never be asked for.
    const link = await ctx.store.directoryLinks.findByLogin(row.login);
    if (link?.authSource === 'directory')
      throw new HubError(
        'conflict',
        `"${row.login}" signs in with the directory (Active Directory / LDAP) password: change it there`,
      );
    const generatedPassword = password === undefined ? generatePassword() : undefined;
    const next = password ?? generatedPassword!;
    checkPassword(next);
    const hash = await this.hashing.run(() => hashPassword(next, this.options.scryptN));
    if (!(await ctx.store.accounts.setPassword(row.id, hash, ctx.clock()))) throw noAccount();
    ctx.events.disconnect({ userId: row.id }, CloseCode.SessionRevoked, 'password changed');
    ctx.log.info({ userId: row.id }, 'password changed');
    return generatedPassword === undefined ? {} : { generatedPassword };
  }

  /** Disables (ending every session and closing every connection at once) or re-enables an account. */
  async setDisabled(loginInput: string, disabled: boolean): Promise<void> {
    const { ctx } = this;
    const row = await this.requireAccount(loginInput);
    // Disabling ends the sessions too, so re-enabling does not silently revive devices signed in before.
    if (!(await ctx.store.accounts.setDisabled(row.id, disabled, ctx.clock()))) throw noAccount();
    if (disabled) ctx.events.disconnect({ userId: row.id }, CloseCode.AccountDisabled, 'account disabled');
    ctx.log.info({ userId: row.id, disabled }, disabled ? 'account disabled' : 'account enabled');
  }

  /** Every account. */
  async listAccounts(): Promise<AccountInfo[]> {
    const accounts = await this.ctx.store.accounts.listUsers();
    return accounts.map((account) => toAccountInfo(account, this.presence));
  }

  /** Checks and hashes a new password with the hub's cost, in a hashing slot (directory sync). */
  async hashNewPassword(password: string): Promise<string> {
    checkPassword(password);
    return this.hashing.run(() => hashPassword(password, this.options.scryptN));
  }

  /** Whether a password matches a stored hash, in a hashing slot (a sync resending it changes nothing). */
  async passwordMatches(password: string, encoded: string): Promise<boolean> {
    return this.hashing.run(() => verifyPassword(password, encoded));
  }

  private async requireAccount(loginInput: string): Promise<AccountRecord> {
    const account = await this.ctx.store.accounts.findUserByLogin(normalizeLogin(loginInput));
    if (!account) throw noAccount();
    return account;
  }

  private dummy(): Promise<string> {
    return this.dummyHash;
  }
}

function actorOf(account: AccountRecord, sessionId: number): Actor {
  return { userId: account.id, sessionId, isAdmin: account.isAdmin, isBot: account.isBot };
}

function noAccount(): HubError {
  return new HubError('not_found', 'no such account');
}

function checkName(input: string): string {
  const name = (input ?? '').trim();
  if (name.length === 0) throw new HubError('bad_request', 'a name is required');
  if ([...name].length > 100) throw new HubError('bad_request', 'a name is at most 100 characters');
  return name;
}

function checkPassword(password: string): void {
  if (password.length < minPasswordLength) {
    throw new HubError('bad_request', `a password is at least ${minPasswordLength} characters`);
  }
  if (password.length > maxPasswordLength) {
    throw new HubError('bad_request', `a password is at most ${maxPasswordLength} characters`);
  }
}

function emptyToNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
