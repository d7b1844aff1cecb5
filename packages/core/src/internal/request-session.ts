import { parse } from 'cookie';
import { SessionConfigError, SessionDataError, type SessionError, type SessionHookError, SessionStoreError } from '../errors.js';
import { logoutReply, methodNotAllowed, type LogoutReply, type LogoutRequest, type ResolvedLogoutOptions } from '../logout.js';
import type { ResolvedOptions } from '../options.js';
import type { Session, SessionInfo, SessionMethods, SessionUserAttributes } from '../session.js';
import type { ReplacementSession, SessionChanges, StoredUser } from '../store.js';
import { renderCookies } from './cookie-policy.js';
import { generateHandle, generateSessionId } from './id.js';
import { SessionDataTracker } from './session-data.js';
import { answerInForm, markOrCommit, type SessionCallback } from './session-methods.js';
import { checkHandle, checkUserId, toSessionListing } from './user-input.js';
import { createSessionProxy, type SessionControls } from './session-proxy.js';
import type { Signer } from './signer.js';
import { boundedHookCall, boundedStoreCall } from './timeout.js';

/** How many fresh ids to try when the store reports a collision (SPEC T5). */
const CREATE_ATTEMPTS = 5;
/** Longest User-Agent kept for session listings. */
const MAX_USER_AGENT = 256;

/** What one request tells the engine. */
export interface OpenRequest {
  /** The raw Cookie header. */
  cookieHeader: string | undefined;
  /**
   * Whether the request arrived over HTTPS (the adapter's node-http layer decides). Read only
   * when cookies are rendered, so it may be a getter that decides then.
   */
  secure: boolean;
  /** The User-Agent header, kept with a login for session listings (SPEC U4). */
  userAgent?: string | undefined;
  /** Receives the Set-Cookie values whenever this request's cookies must change. */
  setCookies(values: string[]): void;
  /**
   * True when the adapter cannot add headers after the handler without holding the response
   * (Express): the cookies known once the session is loaded are set at once, so that a
   * request that changes nothing needs no hold.
   */
  readonly cookiesAtOpen?: boolean;
  /**
   * Called once, when the session first has something to commit: the adapter holds the
   * response until the final commit settles (SPEC T7). False when the response has already
   * started, so the change could not be stored.
   */
  hold?(committer: RequestSession): boolean;
  /** Called when the final commit has settled, whoever started it. */
  committed?(): void;
  /** Sends an error of this request to the framework's error path (a session method's callback threw). */
  fail?(error: unknown): void;
}

/** Which sessions a logout ends: this one (SPEC L1), or every session of its user (L4). */
export type LogoutScope = 'session' | 'user';

/** One request's session: the object handlers use, and the steps the adapter drives. */
export interface RequestSession {
  /** The session object exposed as `req.session` / `ctx.session`. */
  readonly session: Session;
  /** The final commit: stores pending changes and emits cookies before the response headers go out (SPEC T7), then seals the session. */
  commit(): Promise<void>;
  /**
   * The final commit, done at once when it needs neither the store nor a signature (a request
   * that changed nothing): answers true and the session is sealed. False: call `commit()`.
   */
  commitSync(): boolean;
  /** What assigning to the session property does: `null` destroys (SPEC R5), anything else but the session itself throws. */
  assign(value: unknown): void;
  /** Logs out (SPEC L1–L5). Never rejects; failures are reported and put in the reply. */
  logout(request: LogoutRequest, options: ResolvedLogoutOptions, scope?: LogoutScope): Promise<LogoutReply>;
}

type CookieAction = 'none' | 'issue' | 'clear';

function serialiseAttributes(attributes: unknown): string {
  const text = typeof attributes === 'object' && attributes !== null ? JSON.stringify(attributes) : undefined;
  if (text === undefined) throw new SessionDataError('loadUser must answer a JSON object or null');
  return text;
}

/** The engine's per-request state machine. Built by `createSessionEngine().open()`. */
export class RequestSessionState implements RequestSession, SessionControls {
  readonly session: Session;
  readonly #options: ResolvedOptions;
  readonly #signer: Signer;
  readonly #request: OpenRequest;
  readonly #data = new SessionDataTracker();
  #cookieSessionId: string | null = null;
  #id: string | null = null;
  #token: string | null = null;
  #expiresAt = 0;
  #openError: SessionError | null = null;
  #user: StoredUser | null = null;
  /** `#user`'s attributes, parsed on first read (a request that never reads them never parses them). */
  #userAttributes: SessionUserAttributes | undefined;
  #handle: string | undefined;
  #userAgent: string | undefined;
  #loggingIn = false;
  #regenerate = false;
  #destroy = false;
  #ended = false;
  #cookieAction: CookieAction = 'none';
  #sealed = false;
  /** Whether the adapter holds the response for the commit (asked once, on the first change). */
  #holding = false;
  /** The final commit, once started, and whether it has settled. */
  #final: Promise<void> | undefined;
  #finalSettled = false;
  /** The commits in flight, chained; undefined until the first (most requests have one, or none). */
  #queue: Promise<unknown> | undefined;
  #inFlight = 0;
  #methods: SessionMethods | undefined;

  constructor(options: ResolvedOptions, signer: Signer, request: OpenRequest) {
    this.#options = options;
    this.#signer = signer;
    this.#request = request;
    this.session = createSessionProxy(this.#data, this);
  }

  #store<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return boundedStoreCall(operation, this.#options.storeTimeoutMs, call);
  }

  /** Throws the open error (store or `loadUser` failure) on any use of the session. */
  guard(): void {
    if (this.#openError !== null) throw this.#openError;
  }

  /** Throws once the session is sealed (the response started); otherwise the response is held for the commit. */
  guardWrite(): void {
    if (!this.mayChange()) {
      throw new SessionDataError('the session changed after the response started; call session.save() before writing the response');
    }
  }

  /** The session may change (a key set, or an object handed out): asks the adapter to hold the response, once (SPEC T7). */
  mayChange(): boolean {
    if (this.#sealed) return false;
    if (this.#holding) return true;
    const hold = this.#request.hold;
    this.#holding = hold === undefined || hold.call(this.#request, this);
    return this.#holding;
  }

  #adoptUser(user: StoredUser | null): void {
    this.#user = user;
    this.#userAttributes = undefined;
  }

  #attributes(): SessionUserAttributes | undefined {
    if (this.#user === null) return undefined;
    return (this.#userAttributes ??= JSON.parse(this.#user.attributes) as SessionUserAttributes);
  }

  #becomeAnonymous(action: CookieAction): void {
    this.#id = null;
    this.#token = null;
    this.#data.clear();
    this.#adoptUser(null);
    this.#handle = undefined;
    this.#regenerate = false;
    this.#cookieAction = action;
  }

  /**
   * Reads the cookies, verifies the signed one, loads and slides the record, refreshes a
   * changed user (SPEC C3, C5, K2, T2, U2, U3). Resolves to this state, so that the engine's
   * `open` can hand on this promise instead of awaiting it in one more async function.
   */
  async load(): Promise<this> {
    await this.#read();
    if (this.#request.cookiesAtOpen === true) this.#emitCookiesNow();
    return this;
  }

  async #read(): Promise<void> {
    const { name, indicator } = this.#options.cookie;
    let cookies: Record<string, string | undefined>;
    try {
      cookies = parse(this.#request.cookieHeader ?? '');
    } catch {
      cookies = {};
    }
    const token = cookies[name];
    const indicatorValue = indicator === false ? undefined : cookies[indicator];
    if (token === undefined) {
      // A stray indicator (SPEC C5) is cleared; requests without a session cookie never touch the store (F1).
      if (indicatorValue !== undefined) this.#cookieAction = 'clear';
      return;
    }
    const verified = this.#signer.cached(token) ?? (await this.#signer.verify(token));
    if (verified === null) {
      this.#cookieAction = 'clear';
      return;
    }
    const id = verified.sessionId;
    this.#cookieSessionId = id;
    let record;
    try {
      const context = { now: Date.now(), idleTimeoutMs: this.#options.idleTimeoutMs };
      record = await this.#store('load', () => this.#options.store.load(id, context));
    } catch (error) {
      this.#openError = error as SessionStoreError;
      return;
    }
    if (record === null) {
      this.#cookieAction = 'clear';
      return;
    }
    this.#id = id;
    this.#expiresAt = record.expiresAt;
    this.#data.load(record.data);
    this.#handle = record.handle;
    this.#userAgent = record.userAgent;
    if (record.user !== undefined) {
      this.#adoptUser(record.user);
      const latest = record.userVersion ?? record.user.version;
      if (latest !== record.user.version && !(await this.#refreshUser(record.user.id, latest))) return;
    }
    if (!verified.currentKey) {
      // Re-signed now, before the handler: a request that changes nothing needs no hold (SPEC K2).
      this.#token = await this.#signer.sign(id);
      this.#cookieAction = 'issue';
    } else {
      this.#token = token;
      const indicatorMissing = indicator !== false && indicatorValue !== '1';
      if (this.#options.cookie.expiry === 'persistent' || indicatorMissing) this.#cookieAction = 'issue';
    }
  }

  /** Reloads a changed user's attributes before the handler runs (SPEC U2). False when the session ended or failed. */
  async #refreshUser(userId: string, version: number): Promise<boolean> {
    const loadUser = this.#options.loadUser;
    if (loadUser === undefined) return true;
    let attributes;
    try {
      attributes = await boundedHookCall('loadUser', this.#options.storeTimeoutMs, () => loadUser(userId));
      if (attributes !== null) this.#adoptUser({ id: userId, version, attributes: serialiseAttributes(attributes) });
    } catch (error) {
      this.#openError = error as SessionHookError | SessionDataError;
      return false;
    }
    if (attributes !== null) {
      // The refreshed copy is stored now, before the handler, so the session is unchanged when it runs.
      const id = this.#id;
      const user = this.#user;
      if (id === null || user === null) return true;
      try {
        const result = await this.#store('commit', () => this.#options.store.update(id, { set: {}, unset: [], user }));
        if (result === 'missing') {
          this.#becomeAnonymous('clear');
          return false;
        }
      } catch (error) {
        this.#openError = error as SessionStoreError;
        return false;
      }
      return true;
    }
    // A deleted or disabled user: the session ends, the request is anonymous (SPEC U3).
    const id = this.#id;
    try {
      if (id !== null) await this.#store('destroy', () => this.#options.store.destroy(id));
    } catch (error) {
      this.#openError = error as SessionStoreError;
      return false;
    }
    this.#becomeAnonymous('clear');
    return false;
  }

  /** The final commit, as the response starts: afterwards the session is sealed. */
  commit(): Promise<void> {
    if (this.#final === undefined) {
      this.#sealed = true;
      const final = this.#enqueueCommit();
      this.#final = final;
      const settle = (): void => {
        this.#finalSettled = true;
        this.#request.committed?.();
      };
      final.then(settle, settle);
    }
    return this.#final;
  }

  commitSync(): boolean {
    if (this.#final !== undefined) return this.#finalSettled;
    if (this.#inFlight > 0) return false;
    if (this.#ended || this.#openError !== null) {
      this.#sealed = true;
      return true;
    }
    if (this.#destroy || this.#regenerate) return false;
    if (this.#id === null) {
      if (!this.#data.empty) return false;
    } else {
      try {
        if (!this.#data.unchanged()) return false;
      } catch {
        return false;
      }
    }
    if (this.#cookieAction === 'issue' && this.#id !== null && this.#token === null) return false;
    this.#sealed = true;
    this.#emitCookiesNow();
    return true;
  }

  #enqueueCommit(): Promise<void> {
    this.#inFlight += 1;
    const run = this.#queue === undefined ? this.#commitNow() : this.#queue.then(() => this.#commitNow());
    const settled = run.then(() => { this.#inFlight -= 1; }, () => { this.#inFlight -= 1; });
    this.#queue = settled;
    return run;
  }

  async #commitNow(): Promise<void> {
    if (this.#ended || this.#openError !== null) return;
    const store = this.#options.store;
    if (this.#destroy) {
      const id = this.#id;
      if (id !== null) await this.#store('destroy', () => store.destroy(id));
      this.#destroy = false;
      this.#becomeAnonymous('clear');
    }
    const id = this.#id;
    if (id === null) {
      if (this.#regenerate || !this.#data.empty) await this.#createRecord(null);
    } else if (this.#regenerate) {
      await this.#createRecord(id);
    } else {
      const changes: SessionChanges = this.#data.changes();
      if (Object.keys(changes.set).length > 0 || changes.unset.length > 0) {
        const result = await this.#store('commit', () => store.update(id, changes));
        // Destroyed meanwhile (logout elsewhere): never resurrect it (SPEC T8).
        if (result === 'missing') this.#becomeAnonymous('clear');
        else this.#data.committedChanges(changes);
      }
    }
    this.#regenerate = false;
    await this.#emitCookies();
  }

  /** Creates a new record, or replaces `oldId` with one (login), retrying id collisions (SPEC T5, T6). */
  async #createRecord(oldId: string | null): Promise<void> {
    const now = Date.now();
    const { idleTimeoutMs, absoluteTimeoutMs, store } = this.#options;
    const record: ReplacementSession = {
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: now + absoluteTimeoutMs,
      expiresAt: now + Math.min(idleTimeoutMs, absoluteTimeoutMs),
    };
    const user = this.#user;
    if (user !== null) {
      record.user = user;
      record.handle = generateHandle();
      const userAgent = this.#loggingIn ? this.#request.userAgent?.slice(0, MAX_USER_AGENT) : this.#userAgent;
      if (userAgent !== undefined && userAgent !== '') record.userAgent = userAgent;
    }
    let write: (newId: string) => Promise<'created' | 'exists' | 'missing'>;
    let committed: () => void;
    if (oldId === null) {
      const data = this.#data.snapshot();
      write = (newId) => store.create(newId, { ...record, data });
      committed = () => this.#data.committedAll(data);
    } else {
      // Only this request's changes: the store merges them into the old data as stored then,
      // so a write acknowledged on the old id meanwhile is carried over (SPEC T8).
      const changes = this.#data.changes();
      write = (newId) => store.replace(oldId, newId, record, changes);
      committed = () => this.#data.committedChanges(changes);
    }
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
      const newId = generateSessionId(user?.id);
      const result = await this.#store(oldId === null ? 'create' : 'regenerate', () => write(newId));
      if (result === 'missing') {
        // Destroyed meanwhile (a concurrent logout): its data is not carried anywhere (SPEC T8).
        this.#becomeAnonymous('clear');
        return;
      }
      if (result === 'created') {
        this.#id = newId;
        this.#token = null;
        this.#expiresAt = record.expiresAt;
        this.#handle = record.handle;
        this.#userAgent = record.userAgent;
            this.#loggingIn = false;
        committed();
        this.#cookieAction = 'issue';
        return;
      }
    }
    throw new SessionStoreError('create', `no free session id after ${CREATE_ATTEMPTS} attempts`);
  }

  async #emitCookies(): Promise<void> {
    if (this.#cookieAction === 'issue' && this.#id !== null) this.#token ??= await this.#signer.sign(this.#id);
    this.#emitCookiesNow();
  }

  /** Emits the pending cookie action; a live session's token must be signed already. */
  #emitCookiesNow(): void {
    const action = this.#cookieAction;
    this.#cookieAction = 'none';
    if (action === 'clear' || (action === 'issue' && this.#id === null)) {
      this.#request.setCookies(renderCookies(this.#options.cookie, null, this.#request.secure, Date.now()));
    } else if (action === 'issue' && this.#id !== null && this.#token !== null) {
      const live = { token: this.#token, expiresAt: this.#expiresAt };
      this.#request.setCookies(renderCookies(this.#options.cookie, live, this.#request.secure, Date.now()));
    }
  }

  async logout(request: LogoutRequest, options: ResolvedLogoutOptions, scope: LogoutScope = 'session'): Promise<LogoutReply> {
    if (request.method.toUpperCase() !== 'POST') return methodNotAllowed();
    if (this.#queue !== undefined) await this.#queue;
    const errors: string[] = [];
    const fail = (error: SessionError, operation: string): void => {
      errors.push(error.code);
      this.#report(error, operation);
    };
    const hook = options.beforeLogout;
    if (hook !== undefined && this.#id !== null && this.#openError === null) {
      try {
        await boundedHookCall('beforeLogout', this.#options.storeTimeoutMs, () => hook({ session: this.session }));
      } catch (error) {
        fail(error as SessionHookError, 'beforeLogout');
      }
    }
    let revoked = true;
    const id = this.#id ?? this.#cookieSessionId;
    const userId = this.#user?.id;
    const store = this.#options.store;
    if (scope === 'user' && userId === undefined && this.#openError !== null) {
      // The session could not be read, so its user's other sessions are unknown: say so (SPEC L2, L4).
      revoked = false;
      fail(this.#openError, 'logout');
    }
    try {
      if (scope === 'user' && userId !== undefined) await this.#store('logout', () => store.revokeUserSessions(userId, {}));
      if (id !== null) await this.#store('logout', () => store.destroy(id));
    } catch (error) {
      revoked = false;
      fail(error as SessionStoreError, 'logout');
    }
    this.#ended = true;
    this.#becomeAnonymous('none');
    this.#request.setCookies(renderCookies(this.#options.cookie, null, this.#request.secure, Date.now()));
    return logoutReply(request, options, revoked, errors);
  }

  #report(error: SessionError, operation: string): void {
    try {
      this.#options.onError(error, { operation });
    } catch (hookError) {
      this.#options.logger.error('sessionware: the onError hook threw', hookError);
    }
  }

  #requireUser(): { userId: string; id: string } {
    this.guard();
    if (this.#user === null || this.#id === null) throw new SessionDataError('nobody is logged in on this session');
    return { userId: this.#user.id, id: this.#id };
  }

  async #logIn(userId: string): Promise<SessionUserAttributes> {
    this.guard();
    this.guardWrite();
    const loadUser = this.#options.loadUser;
    if (loadUser === undefined) throw new SessionConfigError('option loadUser is required for session.login()');
    checkUserId(userId);
    // The version is read before loadUser: a change in between only causes one extra refresh.
    const version = await this.#store('login', () => this.#options.store.userVersion(userId));
    const attributes = await boundedHookCall('loadUser', this.#options.storeTimeoutMs, () => loadUser(userId));
    if (attributes === null) throw new SessionDataError('loadUser answered null for the user logging in');
    const text = serialiseAttributes(attributes);
    this.guardWrite();
    this.#adoptUser({ id: userId, version, attributes: text });
    this.#loggingIn = true;
    this.#regenerate = true;
    return JSON.parse(text) as SessionUserAttributes;
  }

  async #listSessions(): Promise<SessionInfo[]> {
    const { userId, id } = this.#requireUser();
    const entries = await this.#store('listSessions', () => this.#options.store.listUserSessions(userId, Date.now()));
    return entries.map((entry) => ({ ...toSessionListing(entry), current: entry.sessionId === id }));
  }

  async #revokeSession(handle: string): Promise<boolean> {
    const { userId } = this.#requireUser();
    checkHandle(handle);
    const revoked = await this.#store('revokeSession', () => this.#options.store.revokeUserSessions(userId, { handles: [handle] }));
    if (revoked > 0 && handle === this.#handle) {
      this.#becomeAnonymous('clear');
      this.mayChange();
    }
    return revoked > 0;
  }

  /** The session's reserved members; the methods object is only built when a method is used. */
  member(key: keyof SessionMethods): unknown {
    if (key === 'user') {
      this.guard();
      return this.#attributes();
    }
    if (key === 'userId') {
      this.guard();
      return this.#user?.id;
    }
    this.#methods ??= this.#members();
    return this.#methods[key];
  }

  /** Ends the session for the rest of this request; the record goes at commit (`destroy()`, `session = null`). */
  #markDestroyed(): void {
    this.guard();
    this.guardWrite();
    this.#destroy = true;
    this.#regenerate = false;
    this.#loggingIn = false;
    this.#data.clear();
    this.#adoptUser(null);
  }

  /**
   * What assigning to `req.session` / `ctx.session` does (SPEC R5): `null` destroys the
   * session, as cookie-session and koa-session do; the session object itself changes
   * nothing; anything else throws.
   */
  assign(value: unknown): void {
    if (value === null) this.#markDestroyed();
    else if (value !== this.session) {
      throw new SessionDataError('the session object cannot be replaced: set its keys, or assign null to destroy it');
    }
  }

  /** Reads the record again, dropping unsaved changes (`reload()`). */
  async #reload(): Promise<void> {
    this.guard();
    this.guardWrite();
    if (this.#queue !== undefined) await this.#queue;
    const id = this.#id;
    if (id === null) {
      this.#data.clear();
      return;
    }
    const context = { now: Date.now(), idleTimeoutMs: this.#options.idleTimeoutMs };
    const record = await this.#store('load', () => this.#options.store.load(id, context));
    this.#data.clear();
    if (record === null) {
      this.#becomeAnonymous('clear');
      return;
    }
    this.#expiresAt = record.expiresAt;
    this.#data.load(record.data);
    if (record.user !== undefined) this.#adoptUser(record.user);
  }

  /** A session method's callback threw: the request's error path answers, not an unhandled rejection (SPEC R4, F4). */
  #callbackThrew(error: unknown): void {
    const fail = this.#request.fail;
    if (fail !== undefined) fail.call(this.#request, error);
    else this.#options.logger.error('sessionware: a session method callback threw', error);
  }

  #members(): SessionMethods {
    // The getters below need the state under a name of their own; private fields stay in class scope.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const state = this;
    return {
      regenerate(callback?: SessionCallback) {
        const mark = (): void => {
          state.guard();
          state.guardWrite();
          state.#regenerate = true;
        };
        return markOrCommit(mark, callback, () => state.#enqueueCommit(), (error) => state.#callbackThrew(error));
      },
      destroy(callback?: SessionCallback) {
        return markOrCommit(() => state.#markDestroyed(), callback, () => state.#enqueueCommit(), (error) => state.#callbackThrew(error));
      },
      save(callback?: SessionCallback) {
        return answerInForm(() => {
          state.guard();
          state.guardWrite();
          return state.#enqueueCommit();
        }, callback, (error) => state.#callbackThrew(error));
      },
      reload(callback?: SessionCallback) {
        return answerInForm(() => state.#reload(), callback, (error) => state.#callbackThrew(error));
      },
      touch() {
        state.guard();
      },
      login: (userId) => state.#logIn(userId),
      get userId() {
        state.guard();
        return state.#user?.id;
      },
      get user() {
        state.guard();
        return state.#attributes();
      },
      listSessions: () => state.#listSessions(),
      revokeSession: (handle) => state.#revokeSession(handle),
      async revokeOtherSessions() {
        const { userId, id } = state.#requireUser();
        return state.#store('revokeSessions', () => state.#options.store.revokeUserSessions(userId, { exceptSessionId: id }));
      },
    };
  }
}
