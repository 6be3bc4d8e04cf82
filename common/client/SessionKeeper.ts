import type { ParamsOf, RequestType } from '../protocol/clientFrame.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { User } from '../protocol/model.ts';
import type { ResultMap } from '../protocol/serverFrame.ts';
import type { SignInFailure } from './Backend.ts';
import type { Connection, SessionCheck } from './Connection.ts';
import type { ConnectionError } from './connectionErrors.ts';
import type { HubHttp } from './HubHttp.ts';
import { parseHubAddress, type HubUrls } from './hubUrls.ts';
import { cookieSessionToken } from './cookieSession.ts';
import type { KeyValueStorage } from './KeyValueStorage.ts';
import type { Outbox } from './Outbox.ts';
import { LocalErrorCode, RequestError } from './RequestError.ts';
import { loadSession, saveSession, type SavedSession } from './SavedSession.ts';
import type { StateStore } from './StateStore.ts';

const sessionKey = 'beseda.session';

/** One signed-in session: the hub, the token, and who it belongs to. */
export interface Session {
  urls: HubUrls;
  token: string;
  me: User;
}

/** What the {@link SessionKeeper} works with. */
export interface SessionKeeperOptions {
  storage: KeyValueStorage;
  store: StateStore;
  http: HubHttp;
  connection: Connection;
  outbox: Outbox;
  /** Forgets what the client knew in the previous session (sync state, windows, typing). */
  resetSessionState(): void;
  /**
   * What to keep of a fresh token: the web client hands it to the hub's HttpOnly cookie and keeps
   * only `cookieSessionToken` (cookieSession.ts); absent, the token itself.
   */
  keepToken?(urls: HubUrls, token: string): Promise<string>;
}

/**
 * Keeps the session: restores the saved one at start, signs in (password or a token from an embed
 * link) and out, saves it, loads the account's outbox, and starts or stops the connection. When the
 * hub ends the session (revoked, account disabled) the token is forgotten before the UI hears.
 */
export class SessionKeeper {
  private session: Session | null = null;
  private started: Promise<void> | null = null;
  /** The session's saved outbox is loaded (a message written before that must not be lost by the load). */
  private outboxReady: Promise<void> = Promise.resolve();
  private outboxLoaded = true;
  private disposed = false;

  constructor(private readonly options: SessionKeeperOptions) {}

  /** The session now (null: signed out). */
  get current(): Session | null {
    return this.session;
  }

  /** The signed-in user now (null: signed out). */
  me(): User | null {
    return this.session?.me ?? null;
  }

  /** Restores the saved session and outbox, and connects if signed in. Safe to call more than once. */
  start(): Promise<void> {
    this.started ??= this.restore();
    return this.started;
  }

  /** The client is closed: nothing starts any more. */
  dispose(): void {
    this.disposed = true;
  }

  /** Null once the session's outbox is loaded; until then, the load to wait for. */
  outboxPending(): Promise<void> | null {
    return this.outboxLoaded ? null : this.outboxReady;
  }

  /** Asks the hub over HTTP whether the session still holds (after a refused connect). */
  checkSession(): Promise<SessionCheck> {
    return this.session
      ? this.options.http.checkSession(this.session.urls, this.session.token)
      : Promise.resolve('unreachable');
  }

  /** Hello brought the user's own record: saved with the session when it changed. */
  helloMe(me: User): void {
    const session = this.session;
    if (!session || JSON.stringify(me) === JSON.stringify(session.me)) return;
    session.me = me;
    void saveSession(this.options.storage, sessionKey, { hubUrl: session.urls.base, token: session.token, me });
  }

  /** The session, or a `signed_out` error. */
  requireSession(): Session {
    if (!this.session) throw new RequestError(LocalErrorCode.SignedOut, 'not signed in');
    return this.session;
  }

  /** A request to the hub; fails with `signed_out` while nobody is signed in. */
  request<T extends RequestType>(type: T, params: ParamsOf<T>): Promise<ResultMap[T]> {
    this.requireSession();
    return this.options.connection.request(type, params);
  }

  /** Signs in with a login and password (the Backend's `signIn`). */
  async signIn(
    hubUrl: string,
    login: string,
    password: string,
  ): Promise<{ ok: true } | { ok: false; error: SignInFailure }> {
    const urls = parseHubAddress(hubUrl);
    if (!urls) return { ok: false, error: { code: 'bad_request', message: 'the hub address is not valid' } };
    if (!login.trim() || !password) {
      return { ok: false, error: { code: 'bad_request', message: 'login and password are required' } };
    }
    const result = await this.options.http.login(urls, login.trim(), password);
    if (!result.ok) return result;
    if (this.disposed) return { ok: false, error: { code: 'internal', message: 'the client was closed' } };
    this.stopSession();
    const token = await this.keep(urls, result.token);
    const session: Session = { urls, token, me: result.user };
    await saveSession(this.options.storage, sessionKey, { hubUrl: urls.base, token, me: result.user });
    await this.begin(session);
    return { ok: true };
  }

  /** Signs in with a session token obtained elsewhere, saving the session exactly as signIn does. */
  async signInWithToken(hubUrl: string, token: string, user: User): Promise<void> {
    const urls = parseHubAddress(hubUrl);
    if (!urls) throw new RequestError(ErrorCode.BadRequest, 'the hub address is not valid');
    this.stopSession();
    const kept = await this.keep(urls, token);
    await saveSession(this.options.storage, sessionKey, { hubUrl: urls.base, token: kept, me: user });
    await this.begin({ urls, token: kept, me: user });
  }

  /** Signs out: the outbox is dropped, the token forgotten here and revoked on the hub. */
  async signOut(): Promise<void> {
    const { connection, outbox, store, storage, http } = this.options;
    const session = this.session;
    this.session = null;
    connection.stop();
    await outbox.clear();
    this.options.resetSessionState();
    const hubUrl = session?.urls.base ?? store.state.hubUrl;
    store.reset({ hubUrl });
    const saved: SavedSession = { hubUrl, token: null, me: null };
    await saveSession(storage, sessionKey, saved);
    if (session) await http.logout(session.urls, session.token);
  }

  /**
   * `session.renew` gave a new token (SessionRenewal): it replaces the old one in storage, and the
   * connection moves to it (the old token is revoked; the new socket brings a fresh download key).
   */
  async renewed(token: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    const kept = await this.keep(session.urls, token);
    if (this.session !== session) return;
    session.token = kept;
    await saveSession(this.options.storage, sessionKey, { hubUrl: session.urls.base, token: kept, me: session.me });
    if (this.session === session && !this.disposed) this.options.connection.start(session.urls.websocket, kept);
  }

  private keep(urls: HubUrls, token: string): Promise<string> {
    return this.options.keepToken ? this.options.keepToken(urls, token) : Promise.resolve(token);
  }

  /**
   * Another window of the same browser renewed this session (its token is saved, ours revoked):
   * takes the saved token and reconnects with it. False when there is none to take.
   */
  async adoptSavedToken(): Promise<boolean> {
    const session = this.session;
    if (!session) return false;
    if (session.token === cookieSessionToken) {
      // The cookie is shared by every window: it may hold a renewed session already. Ask the hub.
      if ((await this.options.http.checkSession(session.urls, session.token)) !== 'valid') return false;
      if (this.session !== session || this.disposed) return false;
      this.options.connection.start(session.urls.websocket, session.token);
      return true;
    }
    const saved = await loadSession(this.options.storage, sessionKey);
    const newer = saved.token !== null && saved.token !== session.token;
    if (!newer || saved.hubUrl !== session.urls.base || saved.me?.id !== session.me.id) return false;
    if (this.session !== session || this.disposed) return false;
    session.token = saved.token!;
    this.options.connection.start(session.urls.websocket, session.token);
    return true;
  }

  /** The session ended on the hub's side (revoked, account disabled): back to the sign-in form. */
  async ended(reason: ConnectionError): Promise<void> {
    const session = this.session;
    if (!session) return;
    // Renewed by another window of the same browser: carry on with its token (issue 16).
    if (reason === 'session_revoked' && (await this.adoptSavedToken())) return;
    this.session = null;
    this.options.outbox.suspend();
    // The outbox stays saved: signing in again as the same person sends it.
    this.options.outbox.stop();
    this.options.resetSessionState();
    // The token is gone from storage before the UI hears, so nothing can pick it up again.
    await saveSession(this.options.storage, sessionKey, { hubUrl: session.urls.base, token: null, me: null });
    if (this.session) return;
    this.options.store.reset({ connection: 'signed-out', connectionError: reason, hubUrl: session.urls.base });
  }

  /** A new sign-in replaces the session in place (without the sign-out's revoke). */
  private stopSession(): void {
    if (!this.session) return;
    this.options.connection.stop();
    this.session = null;
  }

  private async restore(): Promise<void> {
    const saved = await loadSession(this.options.storage, sessionKey);
    // signIn() before start() already set everything up.
    if (this.session) return;
    const urls = saved.hubUrl ? parseHubAddress(saved.hubUrl) : null;
    if (!urls || !saved.token || !saved.me || this.disposed) {
      if (!this.session) this.options.store.reset({ hubUrl: urls?.base ?? null });
      return;
    }
    // A token saved before the cookie (web client): handed to the cookie now, and forgotten here.
    const token = await this.keep(urls, saved.token);
    if (token !== saved.token) await saveSession(this.options.storage, sessionKey, { ...saved, token });
    if (this.session || this.disposed) return;
    await this.begin({ urls, token, me: saved.me });
  }

  /** Starts a signed-in session: fresh state, the account's outbox, and the connection. */
  private async begin(session: Session): Promise<void> {
    const { store, outbox } = this.options;
    this.session = session;
    this.options.resetSessionState();
    store.reset({
      connection: 'connecting',
      hubUrl: session.urls.base,
      me: session.me,
      users: { [session.me.id]: session.me },
    });
    this.outboxLoaded = false;
    this.outboxReady = outbox.load({ hubUrl: session.urls.base, userId: session.me.id });
    await this.outboxReady;
    if (this.session === session) this.outboxLoaded = true;
    if (this.session !== session || this.disposed) return;
    this.options.connection.start(session.urls.websocket, session.token);
  }
}
