/**
 * The error codes sessionware uses. Match on `code`, never on the message text.
 */
export type SessionErrorCode =
  | 'ERR_SESSION_CONFIG'
  | 'ERR_SESSION_STORE'
  | 'ERR_SESSION_DATA'
  | 'ERR_SESSION_HOOK'
  | 'ERR_SESSION_CONFLICT'
  | 'ERR_SESSION_NOT_FRESH'
  | 'ERR_SESSION_LIMIT';

/**
 * Base class of every error sessionware throws. Carries a stable `code`, an HTTP `status`
 * that Express's and Koa's error paths use, and the underlying `cause` when there is one.
 * Messages never contain session ids or cookie values (SPEC F5).
 */
export class SessionError extends Error {
  /** Stable machine-readable code. */
  readonly code: SessionErrorCode;
  /** HTTP status the frameworks' error handlers answer with. */
  readonly status: number;
  /** Koa reads `expose` to decide whether the message may reach the client. */
  readonly expose: boolean;

  constructor(code: SessionErrorCode, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = status < 500;
  }

  /** Alias of `status`, read by Express's final handler. */
  get statusCode(): number {
    return this.status;
  }
}

/** A bad option, thrown by the factories at startup. The message names the option. */
export class SessionConfigError extends SessionError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SESSION_CONFIG', message, 500, options);
  }
}

/** The store failed or did not answer in time (SPEC F1). Answered with 503. */
export class SessionStoreError extends SessionError {
  /** The store operation that failed, e.g. `load` or `commit`. */
  readonly operation: string;

  constructor(operation: string, message: string, options?: { cause?: unknown }) {
    super('ERR_SESSION_STORE', `session store ${operation} failed: ${message}`, 503, options);
    this.operation = operation;
  }
}

/**
 * Session data that cannot be stored: not JSON-serialisable, a reserved key (500), or a change
 * that would take the session past `maxSessionBytes` (413, SPEC T10).
 */
export class SessionDataError extends SessionError {
  /** `options.status` is the HTTP status to answer with; 500 (a programming mistake) unless given. */
  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super('ERR_SESSION_DATA', message, options?.status ?? 500, options);
  }
}

/** An application hook (`loadUser`, `beforeLogout`) threw, rejected or did not answer in time (SPEC F4). */
export class SessionHookError extends SessionError {
  /** The name of the hook that threw. */
  readonly hook: string;

  constructor(hook: string, options?: { cause?: unknown }) {
    super('ERR_SESSION_HOOK', `session hook ${hook} threw`, 500, options);
    this.hook = hook;
  }
}

/**
 * A change this request made could not be stored because its session ended meanwhile: logged
 * out, revoked, expired, or replaced by a login on another request (SPEC T8). The change is
 * refused rather than acknowledged and lost. Answered with 409.
 */
export class SessionConflictError extends SessionError {
  constructor(message: string) {
    super('ERR_SESSION_CONFLICT', message, 409);
  }
}

/**
 * `session.requireFresh(maxAge)` found the last authentication older than `maxAge`, or nobody
 * logged in (SPEC P3): ask the user to authenticate again, then call
 * `session.reauthenticated()`. Answered with 401.
 */
export class SessionFreshnessError extends SessionError {
  constructor(message: string) {
    super('ERR_SESSION_NOT_FRESH', message, 401);
  }
}

/**
 * A login was refused because the user already has `maxSessionsPerUser` live sessions and
 * `onLimit` is `'refuse'` (SPEC P4). Nothing was stored. Answered with 409.
 */
export class SessionLimitError extends SessionError {
  constructor(message: string) {
    super('ERR_SESSION_LIMIT', message, 409);
  }
}
