import { createSigner } from './internal/signer.js';
import { rememberCookieSettings } from './known-cookies.js';
import { RequestSessionState, type OpenRequest, type RequestSession } from './internal/request-session.js';
import { controlsOf } from './internal/session-proxy.js';
import { resolveOptions, type ResolvedOptions, type SessionOptions } from './options.js';
import { userSessions, type UserSessions } from './user-sessions.js';

export type { LogoutOutcome, LogoutScope, OpenRequest, PeekAnswer, RequestSession } from './internal/request-session.js';

/** The framework-agnostic session engine that every adapter drives. */
export interface SessionEngine {
  /** The validated, frozen options. */
  readonly options: ResolvedOptions;
  /**
   * Starts one request's session. Never rejects for bad client input (SPEC K2, F3); a store
   * failure is kept and thrown when the handler first uses the session (503, SPEC F1), so
   * routes that never touch the session, and the logout router, keep working.
   */
  open(request: OpenRequest): Promise<RequestSession>;
  /** Per-user operations on the engine's store: `userChanged`, list, revoke (SPEC U2, U4). */
  readonly users: UserSessions;
}

/**
 * Creates the engine: validates the options once (throwing `SessionConfigError` at startup)
 * and builds the signer with its verify cache.
 */
export function createSessionEngine(input?: SessionOptions): SessionEngine {
  const options = resolveOptions(input);
  rememberCookieSettings(options.cookie);
  const signer = createSigner(options.secrets, options.verifyCacheSize);
  return Object.freeze({
    options,
    users: userSessions(options.store, { storeTimeout: options.storeTimeoutMs }),
    open(request: OpenRequest): Promise<RequestSession> {
      return new RequestSessionState(options, signer, request).load();
    },
  });
}

/**
 * The engine session behind a session object (`req.session`, `ctx.session`), for adapters'
 * logout handlers; undefined for anything else (no `session()` mounted, or the property was
 * replaced). Adapters keep no reference of their own: one property fewer on every request.
 */
export function requestSessionOf(session: unknown): RequestSession | undefined {
  const controls = controlsOf(session);
  return controls instanceof RequestSessionState ? controls : undefined;
}
