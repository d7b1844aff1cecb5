import { SessionDataError } from '../errors.js';

/** A user id as the per-user operations take it: a non-empty string. */
export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new SessionDataError('user id is invalid: expected a non-empty string');
  }
  return userId;
}

/** A session handle as revocation takes it: a non-empty string. */
export function checkHandle(handle: unknown): string {
  if (typeof handle !== 'string' || handle.length === 0) {
    throw new SessionDataError('handle is invalid: expected a non-empty string');
  }
  return handle;
}
