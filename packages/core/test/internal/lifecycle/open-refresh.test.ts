import { expect } from 'chai';
import { SessionDataError, SessionHookError, SessionStoreError } from '../../../src/errors.js';
import type { SessionOptions } from '../../../src/options.js';
import { never } from '../../support/scripted-store.js';
import { openSession } from '../../../src/internal/lifecycle/open.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import { FakeRequest, cookieHeaderOf, fixture, newState, seedSession, type Fixture } from '../../support/lifecycle.js';

/** `openSession`'s user refresh (SPEC U2, U3, F4): a session of user u1, cached at version 0. */
async function userSession(loadUser: SessionOptions['loadUser'], settings: { changed?: boolean; storeTimeout?: number } = {}): Promise<{ fx: Fixture; id: string; calls: string[] }> {
  const calls: string[] = [];
  const fx = fixture({
    ...(settings.storeTimeout === undefined ? {} : { storeTimeout: settings.storeTimeout }),
    ...(loadUser === undefined ? {} : {
      loadUser: (userId: string) => {
        calls.push(userId);
        return loadUser(userId);
      },
    }),
  });
  const id = await seedSession(fx, { cart: ['book'] }, { id: 'u1', attributes: { id: 'u1', username: 'alice', emailConfirmed: false } });
  if (settings.changed ?? true) await fx.store.markUserChanged('u1');
  return { fx, id, calls };
}

/** Opens a request carrying the cookie of `id`, keeping the store calls of the open. */
async function open(fx: Fixture, id: string): Promise<RequestState> {
  const state = newState(fx, new FakeRequest(await cookieHeaderOf(fx, id)));
  fx.store.calls.length = 0;
  await openSession(state);
  return state;
}

/** The user's attributes after the change (shaped as the examples' SessionUser, which the whole-repo typecheck sees). */
const confirmed = { id: 'u1', username: 'alice', emailConfirmed: true };

describe('lifecycle: openSession, user refresh', () => {
  it('U2: an unchanged user costs no loadUser call and no store call beyond the load', async () => {
    const { fx, id, calls } = await userSession(() => confirmed, { changed: false });
    const state = await open(fx, id);
    expect(calls).to.deep.equal([]);
    expect(fx.store.methods()).to.deep.equal(['load']);
    expect(state.attributes()).to.deep.equal({ id: 'u1', username: 'alice', emailConfirmed: false });
  });

  it('U2: a changed user is reloaded through loadUser before the handler runs, and the copy is stored at the new version', async () => {
    const { fx, id, calls } = await userSession(() => confirmed);
    const state = await open(fx, id);
    expect(calls).to.deep.equal(['u1']);
    expect(state.phase).to.equal('open');
    expect(state.user).to.deep.equal({ id: 'u1', version: 1, attributes: JSON.stringify(confirmed) });
    expect(state.attributes()).to.deep.equal(confirmed);
    expect(fx.store.methods()).to.deep.equal(['load', 'update']);
    expect(fx.store.argsOf('update')).to.deep.equal([[id, { set: {}, unset: [], user: state.user }]]);
    const stored = await fx.store.inspect(id);
    expect({ user: stored?.user, userVersion: stored?.userVersion }).to.deep.equal({ user: state.user, userVersion: 1 });
    expect(state.data.unchanged(), 'the handler starts on an unchanged session').to.equal(true);
    expect(state.cookie).to.equal('none');
  });

  it('U3: loadUser answering null destroys the session: the request is anonymous and both cookies are marked for clearing', async () => {
    const { fx, id } = await userSession(() => null);
    const state = await open(fx, id);
    expect(fx.store.methods()).to.deep.equal(['load', 'destroy']);
    expect({ phase: state.phase, id: state.id, user: state.user, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ phase: 'open', id: null, user: null, cookie: 'clear', data: {} });
    expect(await fx.store.inspect(id)).to.equal(null);
  });

  it('F4: loadUser throwing fails the open with a SessionHookError naming the hook', async () => {
    const { fx, id } = await userSession(() => {
      throw new Error('users table down');
    });
    const state = await open(fx, id);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionHookError).and.include({ hook: 'loadUser', code: 'ERR_SESSION_HOOK' });
    expect(state.id, 'kept for a logout').to.equal(id);
  });

  it('F1, F4: loadUser never answering fails the open within the store bound', async () => {
    const { fx, id } = await userSession(() => never(), { storeTimeout: 50 });
    const state = await open(fx, id);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionHookError);
  });

  it('F4: loadUser answering something other than an object or null fails the open with a SessionDataError', async () => {
    const { fx, id } = await userSession(() => 'alice' as unknown as null);
    const state = await open(fx, id);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionDataError);
  });

  it('F1: a store failure while storing the refreshed copy fails the open with a SessionStoreError', async () => {
    const { fx, id } = await userSession(() => confirmed);
    fx.store.fail('update');
    const state = await open(fx, id);
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionStoreError);
  });

  it('T8: a session gone while its user was refreshed (update answers missing) yields an anonymous request marked for clearing', async () => {
    const { fx, id } = await userSession(() => confirmed);
    fx.store.script.update = async () => 'missing';
    const state = await open(fx, id);
    expect({ phase: state.phase, id: state.id, cookie: state.cookie }).to.deep.equal({ phase: 'open', id: null, cookie: 'clear' });
  });

  it('U1: without a loadUser option there is no refresh: the cached copy is kept', async () => {
    const { fx, id } = await userSession(undefined);
    const state = await open(fx, id);
    expect(state.user?.version).to.equal(0);
    expect(state.phase).to.equal('open');
  });
});
