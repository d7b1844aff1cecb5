import { SessionDataError } from '../errors.js';
import type { ResolvedLogoutOptions } from '../logout.js';
import type { ResolvedOptions } from '../options.js';
import type { Session, SessionMethods } from '../session.js';
import { CommitQueue } from './lifecycle/commit-queue.js';
import { commitState, runCommit } from './lifecycle/commit.js';
import { writeCookies } from './lifecycle/cookies.js';
import { endSession, type LogoutOutcome, type LogoutScope } from './lifecycle/end.js';
import { createMembers } from './lifecycle/members.js';
import { openSession } from './lifecycle/open.js';
import { planCommit } from './lifecycle/plan-commit.js';
import { RequestState, type OpenRequest } from './lifecycle/state.js';
import { createSessionProxy, type SessionControls } from './session-proxy.js';
import type { Signer } from './signer.js';

export type { OpenRequest } from './lifecycle/state.js';
export type { LogoutOutcome, LogoutScope } from './lifecycle/end.js';

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
  /** Ends the session (SPEC L1, L2, L4). Never rejects: what failed is reported and in the outcome. */
  logout(options: Pick<ResolvedLogoutOptions, 'beforeLogout'>, scope?: LogoutScope): Promise<LogoutOutcome>;
  /**
   * The peek's answer (SPEC P5): the live session's deadlines and last authentication, or null
   * for no live session. Read without sliding when the request was opened as the peek
   * (`OpenRequest.peek`); otherwise from the record as this request loaded (and slid) it.
   * Throws the open's failure (a store failure: 503).
   */
  peek(): PeekAnswer | null;
}

/** What the peek route answers for a live session (SPEC P5); times in ms since the epoch. */
export interface PeekAnswer {
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  /** Null for an anonymous session, or when unknown. */
  authenticatedAt: number | null;
}

/**
 * One request's session: the seam between the handler's session object (`session-proxy`,
 * `lifecycle/members`) and the lifecycle (`lifecycle/open`, `commit`, `end`), which share one
 * {@link RequestState}. Built by `createSessionEngine().open()`.
 */
export class RequestSessionState implements RequestSession, SessionControls {
  readonly session: Session;
  readonly #state: RequestState;
  #methods: SessionMethods | undefined;

  constructor(options: ResolvedOptions, signer: Signer, request: OpenRequest) {
    this.#state = new RequestState(options, signer, request);
    this.session = createSessionProxy(this.#state.data, this);
  }

  /** Opens the session; resolves to this object, so the engine hands on this promise. */
  async load(): Promise<this> {
    await openSession(this.#state);
    return this;
  }

  throwIfOpenFailed(): void {
    this.#state.throwIfOpenFailed();
  }

  throwIfSealed(): void {
    if (this.mayChange()) return;
    if (this.#state.phase === 'ended') throw new SessionDataError('the session was logged out on this request; it cannot change any more');
    throw new SessionDataError('the session changed after the response started; call session.save() before writing the response');
  }

  /** The session may change: asks the adapter to hold the response, once (SPEC T7). */
  mayChange(): boolean {
    const state = this.#state;
    if (state.phase !== 'open') return false;
    if (state.holding) return true;
    const hold = state.request.hold;
    state.holding = hold === undefined || hold.call(state.request, this);
    return state.holding;
  }

  member(key: keyof SessionMethods): unknown {
    if (key === 'user') {
      this.#state.throwIfOpenFailed();
      return this.#state.attributes();
    }
    if (key === 'userId') {
      this.#state.throwIfOpenFailed();
      return this.#state.user?.id;
    }
    this.#methods ??= createMembers(this.#state, this);
    return this.#methods[key];
  }

  /** Runs a commit after those before it (`save()`, a callback's store step, the final commit). */
  enqueueCommit(): Promise<void> {
    const state = this.#state;
    state.commits ??= new CommitQueue();
    return state.commits.enqueue(() => runCommit(state));
  }

  commit(): Promise<void> {
    const state = this.#state;
    const queue = (state.commits ??= new CommitQueue());
    if (queue.final === undefined) {
      if (state.phase === 'open') state.phase = 'sealed';
      const final = this.enqueueCommit();
      queue.final = final;
      const settle = (): void => {
        queue.finalSettled = true;
        state.request.committed?.();
      };
      final.then(settle, settle);
    }
    return queue.final;
  }

  commitSync(): boolean {
    const state = this.#state;
    const queue = state.commits;
    if (queue?.final !== undefined) return queue.finalSettled;
    if (queue?.busy === true) return false;
    let plan;
    try {
      plan = planCommit(commitState(state));
    } catch {
      return false;
    }
    if (plan.store !== 'none' || plan.sign) return false;
    if (state.phase === 'open') state.phase = 'sealed';
    writeCookies(state, plan.cookie);
    return true;
  }

  /** Ends the session for the rest of this request; the record goes at commit (`destroy()`, `session = null`). */
  markDestroyed(): void {
    const state = this.#state;
    state.throwIfOpenFailed();
    this.throwIfSealed();
    state.intent = 'destroy';
    state.data.removeAll();
    state.adoptUser(null);
  }

  assign(value: unknown): void {
    if (value === null) this.markDestroyed();
    else if (value !== this.session) {
      throw new SessionDataError('the session object cannot be replaced: set its keys, or assign null to destroy it');
    }
  }

  logout(options: Pick<ResolvedLogoutOptions, 'beforeLogout'>, scope: LogoutScope = 'session'): Promise<LogoutOutcome> {
    return endSession(this.#state, this.session, options.beforeLogout, scope);
  }

  peek(): PeekAnswer | null {
    const state = this.#state;
    const peeked = state.peeked;
    if (peeked !== undefined) {
      return { idleExpiresAt: peeked.expiresAt, absoluteExpiresAt: peeked.absoluteExpiresAt, authenticatedAt: peeked.authenticatedAt ?? null };
    }
    state.throwIfOpenFailed();
    if (state.id === null) return null;
    const authenticatedAt = state.user === null ? undefined : state.authenticatedAt;
    return { idleExpiresAt: state.expiresAt, absoluteExpiresAt: state.absoluteExpiresAt, authenticatedAt: authenticatedAt ?? null };
  }
}
