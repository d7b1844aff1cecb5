import { SessionError, SessionHookError } from '@sessionware/core';
import { UsersTableError } from './redis.js';

/**
 * What both example apps answer for an error: a `SessionError` its status and code; the users
 * table failing (Redis away) 503 `ERR_USERS_TABLE`, and so does `loadUser` failing or not
 * answering within the store bound, since the examples' `loadUser` only reads the users
 * table; anything else 500.
 */
export function errorReply(error: unknown): { status: number; code: string } {
  if (error instanceof UsersTableError) return { status: error.status, code: error.code };
  if (error instanceof SessionHookError && error.hook === 'loadUser') return { status: 503, code: 'ERR_USERS_TABLE' };
  if (error instanceof SessionError) return { status: error.status, code: error.code };
  return { status: 500, code: 'internal_error' };
}
