import { expect } from 'chai';
import { SessionStoreError } from '../../../src/errors.js';
import { fixture, newState } from '../../support/lifecycle.js';

describe('lifecycle: RequestState', () => {
  it('T3: a new state is open, with no intent, no id and no cookie to write', () => {
    const state = newState(fixture());
    expect({ phase: state.phase, intent: state.intent, id: state.id, token: state.token, cookie: state.cookie, failure: state.failure })
      .to.deep.equal({ phase: 'open', intent: 'none', id: null, token: null, cookie: 'none', failure: null });
    expect(state.data.empty).to.equal(true);
  });

  it('U1: the owner\'s attributes are parsed on first read, once, and dropped with the owner', () => {
    const state = newState(fixture());
    expect(state.attributes()).to.equal(undefined);
    state.adoptUser({ id: 'u1', version: 0, attributes: '{"name":"Ann"}' });
    const first = state.attributes();
    expect(first).to.deep.equal({ name: 'Ann' });
    expect(state.attributes(), 'the same parsed object').to.equal(first);
    state.adoptUser({ id: 'u1', version: 1, attributes: '{"name":"Bo"}' });
    expect(state.attributes()).to.deep.equal({ name: 'Bo' });
    state.adoptUser(null);
    expect(state.attributes()).to.equal(undefined);
  });

  it('C3, U3: becomeAnonymous drops id, token, data, user, handle and intent, and keeps the cookie action asked for', () => {
    const state = newState(fixture());
    state.id = 'x'.repeat(43);
    state.token = 'token';
    state.handle = 'handle';
    state.intent = 'login';
    state.adoptUser({ id: 'u1', version: 0, attributes: '{}' });
    state.data.load({ cart: '["book"]' });
    state.becomeAnonymous('clear');
    expect({ id: state.id, token: state.token, handle: state.handle, intent: state.intent, user: state.user, cookie: state.cookie })
      .to.deep.equal({ id: null, token: null, handle: undefined, intent: 'none', user: null, cookie: 'clear' });
    expect(state.data.empty).to.equal(true);
  });

  it('F1: throwIfOpenFailed throws the kept failure, and nothing before one is kept', () => {
    const state = newState(fixture());
    expect(() => state.throwIfOpenFailed()).to.not.throw();
    const failure = new SessionStoreError('load', 'the store failed');
    state.failure = failure;
    expect(() => state.throwIfOpenFailed()).to.throw(failure);
  });
});
