import { SessionError, SessionHookError } from '@sessionware/core';
import { CLIENT_ERROR_CODES, ClientError } from './client-error.js';
import { UsersTableError } from './redis.js';

/** Where the example apps log the errors they answer. */
export interface ExampleLog {
  /** A client mistake (4xx): one line, no stack. */
  warn(message: string): void;
  /** A server fault (5xx). */
  error(message: string): void;
}

const statusOf = (error: unknown): number | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = status ?? statusCode;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
};

/**
 * What both example apps answer for an error: a `SessionFreshnessError` (by its code
 * `ERR_SESSION_NOT_FRESH`) 401 `reauthentication_required` (SPEC §E, P3); any other `SessionError` its status and code; the users
 * table failing (Redis away) 503 `ERR_USERS_TABLE`, and so does `loadUser` failing or not
 * answering within the store bound, since the examples' `loadUser` only reads the users
 * table; a client mistake (a {@link ClientError}, or a body parser's or router's 4xx error,
 * a corrupt compressed body) its status with a code of {@link CLIENT_ERROR_CODES}; anything
 * else 500.
 */
export function errorReply(error: unknown): { status: number; code: string } {
  if (error instanceof UsersTableError) return { status: error.status, code: error.code };
  if (error instanceof SessionHookError && error.hook === 'loadUser') return { status: 503, code: 'ERR_USERS_TABLE' };
  if (error instanceof SessionError && error.code === 'ERR_SESSION_NOT_FRESH') return { status: 401, code: 'reauthentication_required' };
  if (error instanceof SessionError) return { status: error.status, code: error.code };
  if (error instanceof ClientError) return { status: error.status, code: error.code };
  // Express's router, body-parser and co-body throw http-errors-shaped errors with a 4xx status.
  const status = statusOf(error);
  if (status !== undefined && status >= 400 && status < 500) return { status, code: CLIENT_ERROR_CODES[status] ?? 'bad_request' };
  // A corrupt gzip/deflate/br body: co-body passes zlib's error on without a status.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) return { status: 400, code: 'bad_request' };
  return { status: 500, code: 'internal_error' };
}

/** {@link errorReply}, logged: a 4xx as one client-error line, a 5xx as a failure. */
export function reportError(error: unknown, log: ExampleLog): { status: number; code: string } {
  const reply = errorReply(error);
  const message = error instanceof Error ? error.message : String(error);
  if (reply.status >= 500) log.error(`request failed: ${message}`);
  else log.warn(`client error ${reply.status} ${reply.code}: ${message}`);
  return reply;
}
