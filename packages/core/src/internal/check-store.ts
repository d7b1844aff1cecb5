import { SessionConfigError } from '../errors.js';
import type { Store } from '../store.js';

/** The methods every store must have; `renew` is checked with `renewalInterval`, which needs it. */
const STORE_METHODS = ['load', 'peek', 'create', 'update', 'replace', 'destroy', 'userVersion', 'markUserChanged', 'listUserSessions', 'revokeUserSessions'] as const;

/** Option `store`: refused at startup when it lacks a method of the Store interface. */
export function checkStore(store: Store): void {
  for (const method of STORE_METHODS) {
    if (typeof store[method] !== 'function') {
      throw new SessionConfigError(`option store is invalid: missing method ${method}()`);
    }
  }
}
