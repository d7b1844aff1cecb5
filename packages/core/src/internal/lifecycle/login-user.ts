import { SessionConfigError } from '../../errors.js';
import type { StoredUser } from '../../store.js';
import { boundedHookCall } from '../timeout.js';
import { checkUserId } from '../user-input.js';
import { serialiseAttributes, type RequestState } from './state.js';

/**
 * The user a session is about to belong to (a login, or a migrated old session: SPEC U1):
 * the user's change version, read before `loadUser` so that a change in between only costs
 * one extra refresh (U2), then the attributes. `null` when `loadUser` answers null.
 * `operation` names the store call in errors; `needs` what `loadUser` is required for.
 */
export async function loadLoginUser(state: RequestState, userId: string, operation: 'login' | 'migrate', needs: string): Promise<StoredUser | null> {
  const { options } = state;
  const loadUser = options.loadUser;
  if (loadUser === undefined) throw new SessionConfigError(`option loadUser is required ${needs}`);
  checkUserId(userId);
  const version = await state.storeCall(operation, () => options.store.userVersion(userId));
  const attributes = await boundedHookCall('loadUser', options.storeTimeoutMs, () => loadUser(userId));
  return attributes === null ? null : { id: userId, version, attributes: serialiseAttributes(attributes) };
}
