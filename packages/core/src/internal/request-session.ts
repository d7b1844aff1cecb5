import { parse } from 'cookie';
import { SessionDataError, type SessionError, type SessionHookError, SessionStoreError } from '../errors.js';
import { logoutReply, methodNotAllowed, type LogoutReply, type LogoutRequest, type ResolvedLogoutOptions } from '../logout.js';
import type { ResolvedOptions } from '../options.js';
import type { Session } from '../session.js';
import type { StoredSession } from '../store.js';
import { renderCookies } from './cookie-policy.js';
import { generateSessionId } from './id.js';
import { SessionDataTracker } from './session-data.js';
import { createSessionProxy } from './session-proxy.js';
import type { Signer } from './signer.js';
import { boundedHookCall, boundedStoreCall } from './timeout.js';

/** How many fresh ids to try when the store reports a collision (SPEC T5). */
const CREATE_ATTEMPTS = 5;

/** What one request tells the engine. */
export interface OpenRequest {
  /** The raw Cookie header. */
  cookieHeader: string | undefined;
  /** Whether the request arrived over HTTPS (the adapter's node-http layer decides). */
  secure: boolean;
  /** Receives the Set-Cookie values whenever this request's cookies must change. */
  setCookies(values: string[]): void;
}

/** One request's session: the object handlers use, and the steps the adapter drives. */
export interface RequestSession {
  /** The session object exposed as `req.session` / `ctx.session`. */
  readonly session: Session;
  /** Stores pending changes and emits cookies. Call before the response headers go out (SPEC T7). */
  commit(): Promise<void>;
  /** Logs out (SPEC L1–L3, L5). Never rejects; failures are reported and put in the reply. */
  logout(request: LogoutRequest, options: ResolvedLogoutOptions): Promise<LogoutReply>;
}

type CookieAction = 'none' | 'issue' | 'clear';

/** The engine's per-request state machine. Built by `createSessionEngine().open()`. */
export class RequestSessionState implements RequestSession {
  readonly session: Session;
  readonly #options: ResolvedOptions;
  readonly #signer: Signer;
  readonly #request: OpenRequest;
  readonly #data = new SessionDataTracker();
  #cookieSessionId: string | null = null;
  #id: string | null = null;
  #token: string | null = null;
  #expiresAt = 0;
  #loadError: SessionStoreError | null = null;
  #regenerate = false;
  #destroy = false;
  #ended = false;
  #cookieAction: CookieAction = 'none';
  #sealed = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ResolvedOptions, signer: Signer, request: OpenRequest) {
    this.#options = options;
    this.#signer = signer;
    this.#request = request;
    this.session = createSessionProxy(this.#data, {
      guard: () => {
        if (this.#loadError !== null) throw this.#loadError;
      },
      guardWrite: () => {
        if (this.#sealed) {
          throw new SessionDataError('the session changed after the response started; call session.save() before writing the response');
        }
      },
      regenerate: () => {
        this.#regenerate = true;
      },
      destroy: () => {
        this.#destroy = true;
        this.#regenerate = false;
        this.#data.clear();
      },
      save: () => this.#enqueueCommit(),
    });
  }

  #store<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return boundedStoreCall(operation, this.#options.storeTimeoutMs, call);
  }

  /** Reads the cookies, verifies the signed one, loads and slides the record (SPEC C3, C5, K2, T2). */
  async load(): Promise<void> {
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
    const verified = await this.#signer.verify(token);
    if (verified === null) {
      this.#cookieAction = 'clear';
      return;
    }
    this.#cookieSessionId = verified.sessionId;
    let record: StoredSession | null;
    try {
      const context = { now: Date.now(), idleTimeoutMs: this.#options.idleTimeoutMs };
      record = await this.#store('load', () => this.#options.store.load(verified.sessionId, context));
    } catch (error) {
      this.#loadError = error as SessionStoreError;
      return;
    }
    if (record === null) {
      this.#cookieAction = 'clear';
      return;
    }
    this.#id = verified.sessionId;
    this.#expiresAt = record.expiresAt;
    this.#data.load(record.data);
    if (!verified.currentKey) {
      this.#cookieAction = 'issue';
    } else {
      this.#token = token;
      const indicatorMissing = indicator !== false && indicatorValue !== '1';
      if (this.#options.cookie.expiry === 'persistent' || indicatorMissing) this.#cookieAction = 'issue';
    }
  }

  /** The final commit, as the response starts: afterwards the session is sealed. */
  commit(): Promise<void> {
    this.#sealed = true;
    return this.#enqueueCommit();
  }

  #enqueueCommit(): Promise<void> {
    const run = this.#queue.then(() => this.#commitNow());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commitNow(): Promise<void> {
    if (this.#ended || this.#loadError !== null) return;
    const store = this.#options.store;
    if (this.#destroy) {
      const id = this.#id;
      if (id !== null) await this.#store('destroy', () => store.destroy(id));
      this.#destroy = false;
      this.#id = null;
      this.#token = null;
      this.#cookieAction = 'clear';
    }
    const id = this.#id;
    if (id === null) {
      if (this.#regenerate || !this.#data.empty) await this.#createRecord(null);
    } else if (this.#regenerate) {
      await this.#createRecord(id);
    } else {
      const changes = this.#data.changes();
      if (Object.keys(changes.set).length > 0 || changes.unset.length > 0) {
        const result = await this.#store('commit', () => store.update(id, changes));
        if (result === 'missing') {
          // Destroyed meanwhile (logout elsewhere): never resurrect it (SPEC T8).
          this.#id = null;
          this.#token = null;
          this.#data.clear();
          this.#cookieAction = 'clear';
        } else {
          this.#data.committedChanges(changes);
        }
      }
    }
    this.#regenerate = false;
    await this.#emitCookies();
  }

  /** Creates a new record, or replaces `oldId` with one (login), retrying id collisions (SPEC T5, T6). */
  async #createRecord(oldId: string | null): Promise<void> {
    const now = Date.now();
    const { idleTimeoutMs, absoluteTimeoutMs, store } = this.#options;
    const data = this.#data.snapshot();
    const record: StoredSession = {
      data,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: now + absoluteTimeoutMs,
      expiresAt: now + Math.min(idleTimeoutMs, absoluteTimeoutMs),
    };
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt += 1) {
      const newId = generateSessionId();
      const result = await this.#store(oldId === null ? 'create' : 'regenerate', () =>
        oldId === null ? store.create(newId, record) : store.replace(oldId, newId, record));
      if (result === 'missing') {
        // Destroyed meanwhile (a concurrent logout): its data is not carried anywhere (SPEC T8).
        this.#id = null;
        this.#token = null;
        this.#data.clear();
        this.#cookieAction = 'clear';
        return;
      }
      if (result === 'created') {
        this.#id = newId;
        this.#token = null;
        this.#expiresAt = record.expiresAt;
        this.#data.committedAll(data);
        this.#cookieAction = 'issue';
        return;
      }
    }
    throw new SessionStoreError('create', `no free session id after ${CREATE_ATTEMPTS} attempts`);
  }

  async #emitCookies(): Promise<void> {
    const action = this.#cookieAction;
    this.#cookieAction = 'none';
    if (action === 'clear' || (action === 'issue' && this.#id === null)) {
      this.#request.setCookies(renderCookies(this.#options.cookie, null, this.#request.secure, Date.now()));
    } else if (action === 'issue' && this.#id !== null) {
      this.#token ??= await this.#signer.sign(this.#id);
      const live = { token: this.#token, expiresAt: this.#expiresAt };
      this.#request.setCookies(renderCookies(this.#options.cookie, live, this.#request.secure, Date.now()));
    }
  }

  async logout(request: LogoutRequest, options: ResolvedLogoutOptions): Promise<LogoutReply> {
    if (request.method.toUpperCase() !== 'POST') return methodNotAllowed();
    await this.#queue;
    const errors: string[] = [];
    const fail = (error: SessionError, operation: string): void => {
      errors.push(error.code);
      this.#report(error, operation);
    };
    const hook = options.beforeLogout;
    if (hook !== undefined && this.#id !== null && this.#loadError === null) {
      try {
        await boundedHookCall('beforeLogout', this.#options.storeTimeoutMs, () => hook({ session: this.session }));
      } catch (error) {
        fail(error as SessionHookError, 'beforeLogout');
      }
    }
    let revoked = true;
    const id = this.#id ?? this.#cookieSessionId;
    if (id !== null) {
      try {
        await this.#store('logout', () => this.#options.store.destroy(id));
      } catch (error) {
        revoked = false;
        fail(error as SessionStoreError, 'logout');
      }
    }
    this.#ended = true;
    this.#id = null;
    this.#data.clear();
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
}
