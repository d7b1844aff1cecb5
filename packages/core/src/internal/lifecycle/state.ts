import { SessionDataError, type SessionError } from '../../errors.js';
import type { ResolvedOptions } from '../../options.js';
import type { SessionUserAttributes } from '../../session.js';
import type { SessionDeadlines, StoredSession, StoredUser } from '../../store.js';
import type { CookieExpiry } from '../cookie-options.js';
import type { LoginLifetime } from '../remember.js';
import { SessionDataTracker } from '../session-data.js';
import type { Signer } from '../signer.js';
import { boundedStoreCall } from '../timeout.js';
import type { RequestSession } from '../request-session.js';
import type { CommitQueue } from './commit-queue.js';

/** The attributes `loadUser` answered, as the JSON text a store keeps. */
export function serialiseAttributes(attributes: unknown): string {
  const text = typeof attributes === 'object' && attributes !== null ? JSON.stringify(attributes) : undefined;
  if (text === undefined) throw new SessionDataError('loadUser must answer a JSON object or null');
  return text;
}

/**
 * Where one request's session is in its life (drawn in docs/architecture.md):
 * - `open`: the handler may read and change it;
 * - `failed`: the open failed (store or `loadUser`); every use throws that error;
 * - `sealed`: the final commit has started; later changes throw;
 * - `ended`: logged out; nothing more is stored.
 */
export type Phase = 'open' | 'failed' | 'sealed' | 'ended';

/**
 * What the commit must do besides storing changed keys, as the handler asked it. At most one
 * at a time; the later call wins, except that `regenerate()` after `login()` stays a login.
 */
export type Intent = 'none' | 'regenerate' | 'login' | 'destroy';

/**
 * The old library's cookies (option `migrateFrom`, issue 16): none on the request; to be cleared
 * with the next cookies written; kept (a failed migration issues no cookie; a logout still
 * clears them); cleared on this response.
 */
export type LegacyCookies = 'absent' | 'clear' | 'kept' | 'cleared';

/** What this request's cookies need: nothing, the live session's cookies, or clearing both. */
export type CookieAction = 'none' | 'issue' | 'clear';

/** What one request tells the engine. */
export interface OpenRequest {
  /** The raw Cookie header. */
  cookieHeader: string | undefined;
  /**
   * Whether the request arrived over HTTPS (the adapter's node layer decides). Read only
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
  /**
   * True for the peek route (`GET …/session`, SPEC P5): the session's deadlines are read
   * without sliding them, and the session cannot be used otherwise on this request.
   */
  readonly peek?: boolean;
}

/**
 * The state of one request's session, as values. The lifecycle modules (`open`, `commit`,
 * `end`, `members`) read and change it; `planCommit` decides from it what a commit does.
 */
export class RequestState {
  phase: Phase = 'open';
  intent: Intent = 'none';
  /** Why the open failed: thrown on every use while `phase` is `failed`. */
  failure: SessionError | null = null;
  /**
   * The session's id in the store: null for an anonymous request. While `phase` is `failed`,
   * the id the cookie named (whether it is live is unknown), so that a logout can still try it.
   */
  id: string | null = null;
  /** The signed cookie value of `id`; null until signed (a new id, or a rotated key). */
  token: string | null = null;
  /** The earlier of the idle and absolute deadlines of the stored record. */
  expiresAt = 0;
  /** The stored record's absolute deadline and creation time: kept by a user's `regenerate()`. */
  absoluteExpiresAt = 0;
  createdAt = 0;
  /** When the user last authenticated (SPEC P3): the record's, or this request's login or `reauthenticated()`. */
  authenticatedAt: number | undefined;
  /** A `reauthenticated()` time not stored yet: written by the next commit (SPEC P3). */
  reauthenticatedAt: number | undefined;
  /** The record's own cookie expiry mode and idle timeout (a remembered login's, SPEC P1). */
  cookieExpiry: CookieExpiry | undefined;
  ownIdleTimeoutMs: number | undefined;
  /** The lifetime the pending login chose (`login(userId, { remember })`, SPEC P1). */
  loginLifetime: LoginLifetime | undefined;
  /** What the peek read (SPEC P5); undefined unless this request is the peek and found a live session. */
  peeked: SessionDeadlines | undefined;
  user: StoredUser | null = null;
  /** `user`'s attributes, parsed on first read (a request that never reads them never parses them). */
  userAttributes: SessionUserAttributes | undefined;
  handle: string | undefined;
  userAgent: string | undefined;
  cookie: CookieAction = 'none';
  /** The old library's cookies (option `migrateFrom`) on this request. */
  legacyCookies: LegacyCookies = 'absent';
  /** Whether the adapter holds the response for the commit (asked once, on the first change). */
  holding = false;
  readonly data = new SessionDataTracker();
  /** When the open started its work on a session cookie (`performance.now()`); a logout's one bound counts from it. */
  openedAt: number | undefined;
  /** The commits of this request (`save()`, the final one), run one after another. */
  commits: CommitQueue | undefined;

  constructor(
    readonly options: ResolvedOptions,
    readonly signer: Signer,
    readonly request: OpenRequest,
  ) {}

  /** The request now names the stored session `id`: its deadline, data, handle, User-Agent and user. */
  adoptRecord(id: string, record: StoredSession): void {
    this.id = id;
    this.data.load(record.data);
    this.adoptMetadata(record);
    this.adoptUser(record.user ?? null);
  }

  /** The request takes the record's deadlines, lifetime choices, handle and User-Agent. */
  adoptMetadata(record: Omit<StoredSession, 'data'>): void {
    this.expiresAt = record.expiresAt;
    this.absoluteExpiresAt = record.absoluteExpiresAt;
    this.createdAt = record.createdAt;
    this.authenticatedAt = record.authenticatedAt;
    this.cookieExpiry = record.cookieExpiry;
    this.ownIdleTimeoutMs = record.idleTimeoutMs;
    this.handle = record.handle;
    this.userAgent = record.userAgent;
  }

  /** The cookie expiry mode of this session: its own (SPEC P1), else the option's. */
  expiry(): CookieExpiry {
    return this.cookieExpiry ?? this.options.cookie.expiry;
  }

  /** Takes `user` as the session's owner (or none); the attributes are parsed when first read. */
  adoptUser(user: StoredUser | null): void {
    this.user = user;
    this.userAttributes = undefined;
  }

  /** The owner's attributes, parsed once. */
  attributes(): SessionUserAttributes | undefined {
    if (this.user === null) return undefined;
    return (this.userAttributes ??= JSON.parse(this.user.attributes) as SessionUserAttributes);
  }

  /** One store call of this request, bounded by the store timeout (SPEC F1). */
  storeCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return boundedStoreCall(operation, this.options.storeTimeoutMs, call);
  }

  /** The request no longer names a stored record: id, its signed cookie value and its handle dropped. */
  forgetRecord(): void {
    this.id = null;
    this.token = null;
    this.handle = undefined;
  }

  /** No session any more on this request (gone from the store, logged out): data, user and id dropped. */
  becomeAnonymous(cookie: CookieAction): void {
    this.forgetRecord();
    this.data.clear();
    this.adoptUser(null);
    this.forgetLifetime();
    this.intent = 'none';
    this.cookie = cookie;
  }

  /** No record's lifetime choices any more (SPEC P1, P3): a later new session starts from the options. */
  forgetLifetime(): void {
    this.authenticatedAt = undefined;
    this.reauthenticatedAt = undefined;
    this.cookieExpiry = undefined;
    this.ownIdleTimeoutMs = undefined;
    this.loginLifetime = undefined;
  }

  /** Throws the open failure on any use of a session that could not be opened. */
  throwIfOpenFailed(): void {
    if (this.failure !== null) throw this.failure;
  }
}
