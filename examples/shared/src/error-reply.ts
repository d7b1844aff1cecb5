import { SessionError, SessionHookError } from '@sessionware/core';
import { UsersTableError } from './redis.js';

/**
 * What both example apps answer for an error: a `SessionError` its status and code; the users
 * table failing (Redis away), also inside `loadUser`, 503 `ERR_USERS_TABLE`; anything else 500.
 */
export function errorReply(error: unknown): { status: number; code: string } {
  const users = error instanceof SessionHookError ? error.cause : error;
  if (users instanceof UsersTableError) return { status: users.status, code: users.code };
  if (error instanceof SessionError) return { status: error.status, code: error.code };
  return { status: 500, code: 'internal_error' };
}
