import { expect } from 'chai';
import { planCommit, type CommitPlan, type CommitState } from '../../../src/internal/lifecycle/plan-commit.js';

const base: CommitState = { phase: 'open', intent: 'none', stored: true, data: 'unchanged', cookie: 'none', signed: true, renewalDue: false };

function plan(overrides: Partial<CommitState>): CommitPlan {
  return planCommit({ ...base, ...overrides });
}

describe('lifecycle: planCommit', () => {
  const steps: Array<[string, Partial<CommitState>, CommitPlan['store']]> = [
    ['T3: an anonymous request with no data stores nothing', { stored: false, data: 'empty' }, 'none'],
    ['T3: an anonymous request that set data creates a record', { stored: false, data: 'changed' }, 'create'],
    ['T4: a stored session that changed nothing stores nothing', {}, 'none'],
    ['T4: a stored session with changed keys is updated', { data: 'changed' }, 'update'],
    ['T6: regenerate() of a stored session replaces it', { intent: 'regenerate' }, 'replace'],
    ['T6: login() of a stored session replaces it, changed or not', { intent: 'login', data: 'changed' }, 'replace'],
    ['T6: regenerate() of a new, empty session creates it', { intent: 'regenerate', stored: false, data: 'empty' }, 'create'],
    ['T6: login() of a new session creates it', { intent: 'login', stored: false, data: 'empty' }, 'create'],
    ['R5: destroy() of a stored session destroys it, whatever else changed', { intent: 'destroy', data: 'changed' }, 'destroy'],
    ['R5: destroy() of an anonymous request stores nothing', { intent: 'destroy', stored: false, data: 'empty' }, 'none'],
    ['R5: keys set after destroy() on an anonymous request create a record', { intent: 'destroy', stored: false, data: 'changed' }, 'create'],
    ['F1: a session whose open failed stores nothing', { phase: 'failed', data: 'changed', intent: 'login' }, 'none'],
    ['L1: a logged-out session stores nothing', { phase: 'ended', data: 'changed' }, 'none'],
    ['T7: a sealed session still commits what it has (the final commit runs sealed)', { phase: 'sealed', data: 'changed' }, 'update'],
    ['P2: a stored session due for renewal is renewed, changed or not', { renewalDue: true }, 'renew'],
    ['P2: a due session with changed keys is renewed first (the update follows on the new id)', { renewalDue: true, data: 'changed' }, 'renew'],
    ['P2, T6: login() of a due session replaces it: the login gives the new id', { renewalDue: true, intent: 'login' }, 'replace'],
    ['P2, T6: regenerate() of a due session replaces it', { renewalDue: true, intent: 'regenerate' }, 'replace'],
    ['P2, R5: destroy() of a due session destroys it, no renewal', { renewalDue: true, intent: 'destroy' }, 'destroy'],
    ['P2, F1: a due session whose open failed stores nothing', { renewalDue: true, phase: 'failed' }, 'none'],
    ['P2, L1: a due session logged out on this request stores nothing', { renewalDue: true, phase: 'ended' }, 'none'],
  ];
  for (const [title, state, store] of steps) {
    it(`${title} (store step ${store})`, () => {
      expect(plan(state).store).to.equal(store);
    });
  }

  it('C1, T7: a store step comes first; the cookies are planned once no step is left', () => {
    expect(plan({ data: 'changed', cookie: 'issue', signed: false })).to.deep.equal({ store: 'update', cookie: 'none', sign: false });
  });

  const cookies: Array<[string, Partial<CommitState>, Pick<CommitPlan, 'cookie' | 'sign'>]> = [
    ['C5: a pending issue of a signed session writes its cookies without signing', { cookie: 'issue' }, { cookie: 'issue', sign: false }],
    ['K2: a pending issue of an unsigned id signs first (new id, rotated key)', { cookie: 'issue', signed: false }, { cookie: 'issue', sign: true }],
    ['C3: an issue for a session that is no longer stored clears instead', { cookie: 'issue', stored: false, data: 'empty' }, { cookie: 'clear', sign: false }],
    ['C3: a pending clear is written', { cookie: 'clear', stored: false, data: 'empty' }, { cookie: 'clear', sign: false }],
    ['R5: destroy() of an anonymous request clears both cookies', { intent: 'destroy', stored: false, data: 'empty' }, { cookie: 'clear', sign: false }],
    ['T3: nothing pending writes no cookie', {}, { cookie: 'none', sign: false }],
    ['F1: a failed open writes no cookie', { phase: 'failed', cookie: 'issue', signed: false }, { cookie: 'none', sign: false }],
  ];
  for (const [title, state, expected] of cookies) {
    it(title, () => {
      const { cookie, sign } = plan(state);
      expect({ cookie, sign }).to.deep.equal(expected);
    });
  }

  it('is pure: the same state gives the same plan, and the state is not changed', () => {
    const state = Object.freeze({ ...base, data: 'changed' as const });
    expect(planCommit(state)).to.deep.equal(planCommit(state));
  });
});
