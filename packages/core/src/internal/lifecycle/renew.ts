import { withFreshId } from './fresh-id.js';
import type { RequestState } from './state.js';

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
  const result = await withFreshId('renew', state.user?.id, async (newId) => {
    const context = { now: Date.now(), graceMs: renewalGraceMs };
    const answer = await state.storeCall('renew', () => store.renew(oldId, newId, context));
    return answer === 'renewed' ? { renewedTo: newId } : answer;
  });
  if (result === 'missing') return 'missing';
  state.adoptRenewedId(result.renewedTo);
  return 'renewed';
}
