import { SessionConfigError } from './errors.js';
import { checkOptionNames } from './internal/option-names.js';
import type { LogoutScope, RequestSession } from './internal/request-session.js';
import type { Session } from './session.js';

/** What a logout handler needs to know of the HTTP request. */
export interface LogoutRequest {
  method: string;
  contentType: string | undefined;
  accept: string | undefined;
}

/** What the adapter writes back: status, headers and a body (JSON text or empty). */
export interface LogoutReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of the logout routers of every adapter. */
export interface LogoutOptions {
  /**
   * Where an HTML form post is sent after logout, with `303 See Other`. A path on this site
   * (`/…`, not `//…`) or an absolute http(s) URL.
   * @default '/'
   */
  redirectTo?: string;
  /**
   * Called at logout when there is a live session, alongside the revocation of its server
   * record: both run within one store timeout (SPEC L2). The session's data reads as loaded.
   * Its failure (throw, rejection, or no answer within the store timeout) is reported and the
   * user is logged out all the same (SPEC L2, F4).
   */
  beforeLogout?: (context: { session: Session }) => void | Promise<void>;
}

/** {@link LogoutOptions} validated and defaulted. */
export interface ResolvedLogoutOptions {
  readonly redirectTo: string;
  readonly beforeLogout: LogoutOptions['beforeLogout'];
}

const LOGOUT_OPTION_NAMES = Object.keys({ redirectTo: true, beforeLogout: true } satisfies Record<keyof LogoutOptions, true>);

/**
 * Validates and defaults the logout options; throws naming the option. An unknown name throws
 * too (SPEC O1): `adapterNames` are the names an adapter's router reads itself (`path`, …),
 * accepted here and ignored.
 */
export function resolveLogoutOptions(input: LogoutOptions = {}, adapterNames: readonly string[] = []): ResolvedLogoutOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionConfigError('options are invalid: expected an object');
  }
  checkOptionNames(input, [...LOGOUT_OPTION_NAMES, ...adapterNames]);
  const redirectTo = input.redirectTo ?? '/';
  const local = typeof redirectTo === 'string' && redirectTo.startsWith('/') && !redirectTo.startsWith('//');
  if (!local && !(typeof redirectTo === 'string' && /^https?:\/\/[^\s]+$/.test(redirectTo))) {
    throw new SessionConfigError('option redirectTo is invalid: expected a path like /login or an http(s) URL');
  }
  if (!/^[\x21-\x7e]+$/.test(redirectTo)) {
    throw new SessionConfigError('option redirectTo is invalid: use printable ASCII only (percent-encode the rest)');
  }
  if (input.beforeLogout !== undefined && typeof input.beforeLogout !== 'function') {
    throw new SessionConfigError('option beforeLogout is invalid: expected a function');
  }
  return Object.freeze({ redirectTo, beforeLogout: input.beforeLogout });
}

/** The paths of a logout router (SPEC L1, L4, P5), as both adapters' routers take them. */
export interface RouterPathOptions {
  prefix?: string;
  path?: string;
  allPath?: string;
  sessionPath?: string;
}

/** {@link RouterPathOptions} validated and defaulted. */
export interface ResolvedRouterPaths {
  readonly prefix: string;
  readonly path: string;
  readonly allPath: string;
  readonly sessionPath: string;
}

/**
 * Validates and defaults a logout router's options: the logout options (`resolveLogoutOptions`)
 * and the paths, each starting with `/` (`prefix` may be empty). `withPeek`: the router made by
 * the middleware, the only one with a peek and so the only one that takes `sessionPath` (SPEC
 * P5). `adapterNames`: the adapter's other option names, accepted and ignored here.
 */
export function resolveRouterOptions(
  input: LogoutOptions & RouterPathOptions = {},
  withPeek: boolean,
  adapterNames: readonly string[] = [],
): { logout: ResolvedLogoutOptions; paths: ResolvedRouterPaths } {
  const names = withPeek ? ['prefix', 'path', 'allPath', 'sessionPath'] : ['prefix', 'path', 'allPath'];
  const logout = resolveLogoutOptions(input, [...names, ...adapterNames]);
  const { prefix = '', path = '/logout', allPath = '/logout-all', sessionPath = '/session' } = input;
  for (const [name, value] of [['prefix', prefix], ['path', path], ['allPath', allPath], ['sessionPath', sessionPath]] as const) {
    if (typeof value !== 'string' || (value !== '' && !value.startsWith('/')) || (name !== 'prefix' && value === '')) {
      throw new SessionConfigError(`option ${name} is invalid: expected a path starting with /`);
    }
  }
  return { logout, paths: Object.freeze({ prefix, path, allPath, sessionPath }) };
}

/** How both frameworks' routers match a path: case-insensitive, one trailing slash ignored. */
export function routeKey(path: string): string {
  return (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();
}

function isFormPost(request: LogoutRequest): boolean {
  const type = request.contentType?.toLowerCase() ?? '';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) return true;
  const accept = request.accept?.toLowerCase() ?? '';
  return accept.includes('text/html') && !accept.includes('application/json');
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The reply to a method other than POST (SPEC L3). */
export function methodNotAllowed(): LogoutReply {
  return {
    status: 405,
    headers: { allow: 'POST', 'content-type': JSON_TYPE },
    body: JSON.stringify({ error: 'method_not_allowed' }),
  };
}

/**
 * The reply after logout (SPEC L2, L3): 303 to `redirectTo` for HTML form posts, else
 * 200 JSON. `revoked: false` says the server record could not be destroyed; `errors` lists
 * the codes of what failed.
 */
export function logoutReply(request: LogoutRequest, options: ResolvedLogoutOptions, revoked: boolean, errors: string[]): LogoutReply {
  if (isFormPost(request)) {
    return { status: 303, headers: { location: options.redirectTo, 'cache-control': 'no-store' }, body: '' };
  }
  const body: { loggedOut: true; revoked: boolean; errors?: string[] } = { loggedOut: true, revoked };
  if (errors.length > 0) body.errors = errors;
  return { status: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/**
 * The peek route's answer (SPEC P5), `GET …/session`: 200 with the live session's
 * `{"idleExpiresAt","absoluteExpiresAt","authenticatedAt"}`, 401 `{"error":"no_session"}`
 * without one, 405 for another method. Never cached. Throws the session's store failure (503).
 */
export function answerPeek(session: RequestSession, request: LogoutRequest): LogoutReply {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { allow: 'GET, HEAD', 'content-type': JSON_TYPE }, body: JSON.stringify({ error: 'method_not_allowed' }) };
  }
  const answer = session.peek();
  const headers = { 'content-type': JSON_TYPE, 'cache-control': 'no-store' };
  if (answer === null) return { status: 401, headers, body: JSON.stringify({ error: 'no_session' }) };
  return { status: 200, headers, body: JSON.stringify(answer) };
}

/**
 * A logout route's answer (SPEC L1–L4): 405 for a method other than POST; else the session
 * is ended and the reply says whether its server record was revoked.
 */
export async function answerLogout(session: RequestSession, request: LogoutRequest, options: ResolvedLogoutOptions, scope: LogoutScope): Promise<LogoutReply> {
  if (request.method.toUpperCase() !== 'POST') return methodNotAllowed();
  const { revoked, errors } = await session.logout(options, scope);
  return logoutReply(request, options, revoked, errors);
}
