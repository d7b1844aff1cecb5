/**
 * @sessionware/core — the framework-agnostic session engine. Adapters (`@sessionware/express`,
 * `@sessionware/koa`) import only from here.
 * @packageDocumentation
 */
export { createSessionEngine, requestSessionOf } from './engine.js';
export type { LogoutOutcome, LogoutScope, OpenRequest, PeekAnswer, RequestSession, SessionEngine } from './engine.js';
export {
  SessionConfigError,
  SessionConflictError,
  SessionDataError,
  SessionError,
  SessionFreshnessError,
  SessionHookError,
  SessionLimitError,
  SessionStoreError,
} from './errors.js';
export type { SessionErrorCode } from './errors.js';
export type { Duration } from './internal/duration.js';
export type { LoginOptions, RememberOptions } from './internal/remember.js';
export { answerLogout, answerPeek, resolveLogoutOptions, resolveRouterOptions, routeKey } from './logout.js';
export { PeekPaths } from './peek-paths.js';
export type { LogoutOptions, LogoutReply, LogoutRequest, ResolvedLogoutOptions, ResolvedRouterPaths, RouterPathOptions } from './logout.js';
export { fromExpressSession, fromKoaSession } from './legacy.js';
export type {
  ExpressSessionReaderOptions,
  ExpressSessionStoreLike,
  KoaSessionReaderOptions,
  KoaSessionStoreLike,
  LegacyMappingOptions,
  LegacySessionData,
  LegacySessionReader,
} from './legacy.js';
export { MemoryStore } from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { cookieNames, resolveOptions } from './options.js';
export type { CookieExpiry, CookieOptions, ErrorReport, ResolvedCookie, ResolvedOptions, SessionOptions } from './options.js';
export { checkOptionNames, OPTION_HINTS } from './internal/option-names.js';
export type { OptionNamesContext } from './internal/option-names.js';
export { RESERVED_SESSION_KEYS } from './session.js';
export type {
  JsonChecked,
  JsonShape,
  JsonValue,
  Session,
  SessionCallback,
  SessionData,
  SessionDataValues,
  SessionInfo,
  SessionMethods,
  SessionUser,
  SessionUserAttributes,
} from './session.js';
export { userSessions } from './user-sessions.js';
export type { UserSessionInfo, UserSessions } from './user-sessions.js';
export type { DataChanges, LoadContext, LoadedSession, RenewContext, RenewResult, ReplacementSession, RevokeSelection, SessionChanges, SessionDeadlines, SessionLimit, Store, StoredSession, StoredUser, UserSessionEntry } from './store.js';
export { USER_CHANGE_RETENTION_MS } from './store.js';
export { parseSessionId, sessionIdTag, userTag } from './internal/id.js';
export type { SessionIdParts } from './internal/id.js';
