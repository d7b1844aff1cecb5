import { SessionStoreError } from '../../errors.js';
import { generateSessionId } from '../id.js';
import type { RequestState } from './state.js';

/** How many fresh ids a renewal tries when the store reports a collision (SPEC T5). */
const RENEW_ATTEMPTS = 5;

/**
 * The commit's renewal (SPEC P2): moves the user's session to a fresh id of the user, retrying
 * collisions. The request goes on with the new id, or with the one a concurrent request
 * renewed it to first, so that both end on one session; its cookies are re-signed and
 * re-issued (SPEC C1). Answers `'missing'`, changing nothing, when the session ended meanwhile.
 */
export async function renewSession(state: RequestState): Promise<'renewed' | 'missing'> {
  const oldId = state.id as string;
  const { store, renewalGraceMs } = state.options;
  state.renewalDue = false;
  for (let attempt = 0; attempt < RENEW_ATTEMPTS; attempt += 1) {
    const newId = generateSessionId(state.user?.id);
    const context = { now: Date.now(), graceMs: renewalGraceMs };
    const result = await state.storeCall('renew', () => store.renew(oldId, newId, context));
    if (result === 'missing') return 'missing';
    if (result !== 'exists') {
      state.adoptRenewedId(result === 'renewed' ? newId : result.renewedTo);
      return 'renewed';
    }
  }
  throw new SessionStoreError('renew', `no free session id after ${RENEW_ATTEMPTS} attempts`);
}
