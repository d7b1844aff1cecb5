import { expect } from 'chai';
import { SessionConfigError, SessionDataError, SessionStoreError } from '../../../src/errors.js';
import { runCommit } from '../../../src/internal/lifecycle/commit.js';
import { createMembers, type MemberControls } from '../../../src/internal/lifecycle/members.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import type { SessionMethods } from '../../../src/session.js';
import { deferred, turn } from '../../support/deferred.js';
import { FakeRequest, fixture, openedSession, openedState, seedSession, type Fixture } from '../../support/lifecycle.js';
import type { StoreMethod } from '../../support/scripted-store.js';

const alice = { id: 'u1', username: 'alice', emailConfirmed: false };

/** The members of an opened state, with controls that only record what was asked of them. */
function membersOf(state: RequestState): { members: SessionMethods; asked: string[] } {
  const asked: string[] = [];
  const controls: MemberControls = {
    throwIfSealed: () => { asked.push('throwIfSealed'); },
    mayChange: () => { asked.push('mayChange'); return true; },
    markDestroyed: () => { asked.push('markDestroyed'); },
    enqueueCommit: () => runCommit(state),
  };
  return { members: createMembers(state, controls), asked };
}

/** Calls `method(callback)` on a freshly opened session, and answers every callback call once they have all had their turn. */
async function callbackCalls(fx: Fixture, id: string | undefined, method: 'regenerate' | 'destroy' | 'save' | 'reload'): Promise<unknown[][]> {
  const requestSession = await openedSession(fx, id);
  if (method === 'save' || method === 'regenerate') requestSession.session['a'] = 2;
  const calls: unknown[][] = [];
  const called = deferred();
  requestSession.session[method]((...args: unknown[]) => {
    calls.push(args);
    called.resolve();
  });
  await called.promise;
  await turn();
  return calls;
}

describe('lifecycle: createMembers', () => {
  const forms: Array<[method: 'regenerate' | 'destroy' | 'save' | 'reload', stored: boolean, failing: StoreMethod]> = [
    ['regenerate', false, 'create'],
    ['destroy', true, 'destroy'],
    ['save', true, 'update'],
    ['reload', true, 'load'],
  ];
  for (const [method, stored, failing] of forms) {
    it(`R4: ${method}(callback) runs its store step now and calls back exactly once, with null`, async () => {
      const fx = fixture();
      const id = stored ? await seedSession(fx, { a: 1 }) : undefined;
      expect(await callbackCalls(fx, id, method)).to.deep.equal([[null]]);
      expect(fx.store.methods()).to.deep.equal([failing]);
    });

    it(`R4, F1: ${method}(callback) with a failing store calls back exactly once, with the SessionStoreError first`, async () => {
      const fx = fixture();
      const id = stored ? await seedSession(fx, { a: 1 }) : undefined;
      fx.store.fail(failing);
      const calls = await callbackCalls(fx, id, method);
      expect(calls).to.have.length(1);
      expect(calls[0]?.[0]).to.be.instanceOf(SessionStoreError);
    });
  }

  it('U1, T6: login() reads the user version, loads the attributes, adopts the user and marks the intent login', async () => {
    const fx = fixture({ loadUser: () => alice });
    await seedSession(fx, {}, { id: 'u1' });
    await fx.store.markUserChanged('u1');
    const state = await openedState(fx);
    const { members, asked } = membersOf(state);
    expect(await members.login('u1')).to.deep.equal(alice);
    expect({ intent: state.intent, user: state.user }).to.deep.equal({ intent: 'login', user: { id: 'u1', version: 1, attributes: JSON.stringify(alice) } });
    expect(fx.store.methods()).to.deep.equal(['userVersion']);
    expect(asked).to.include('throwIfSealed');
  });

  it('U1: login() without a loadUser option rejects with a SessionConfigError naming it, and changes nothing', async () => {
    const state = await openedState(fixture());
    const error: unknown = await membersOf(state).members.login('u1').then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionConfigError).with.property('message').that.includes('loadUser');
    expect({ intent: state.intent, user: state.user }).to.deep.equal({ intent: 'none', user: null });
  });

  it('U3: login() of a user loadUser answers null for rejects with a SessionDataError, and changes nothing', async () => {
    const state = await openedState(fixture({ loadUser: () => null }));
    const error: unknown = await membersOf(state).members.login('u1').then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionDataError);
    expect(state.intent).to.equal('none');
  });

  it('T6: regenerate() after login() stays a login', async () => {
    const state = await openedState(fixture({ loadUser: () => alice }));
    const { members } = membersOf(state);
    await members.login('u1');
    await members.regenerate();
    expect(state.intent).to.equal('login');
  });

  it('R4: reload() drops unsaved changes and reads what the store holds now', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const state = await openedState(fx, id);
    state.data.values['a'] = 2;
    state.data.values['b'] = 3;
    state.data.touch('a');
    state.data.touch('b');
    await fx.store.update(id, { set: { c: '"other request"' }, unset: [] });
    await membersOf(state).members.reload();
    expect({ ...state.data.values }).to.deep.equal({ a: 1, c: 'other request' });
    expect(state.data.unchanged()).to.equal(true);
  });

  it('C3: reload() of a session gone from the store makes the request anonymous, its cookies marked for clearing', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const state = await openedState(fx, id);
    await fx.store.destroy(id);
    await membersOf(state).members.reload();
    expect({ id: state.id, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ id: null, cookie: 'clear', data: {} });
  });

  it('U4: listSessions() lists the user\'s live sessions and marks exactly the current one', async () => {
    const fx = fixture();
    const current = await seedSession(fx, {}, { id: 'u1' });
    await seedSession(fx, {}, { id: 'u1' });
    const state = await openedState(fx, current);
    const listed = await membersOf(state).members.listSessions();
    expect(listed).to.have.length(2);
    expect(listed.filter((entry) => entry.current).map((entry) => entry.handle)).to.deep.equal([state.handle]);
  });

  it('U4: revokeSession() of this session\'s own handle makes the request anonymous, its cookies marked for clearing', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 }, { id: 'u1' });
    const state = await openedState(fx, id);
    const { members, asked } = membersOf(state);
    expect(await members.revokeSession(state.handle as string)).to.equal(true);
    expect({ id: state.id, user: state.user, cookie: state.cookie }).to.deep.equal({ id: null, user: null, cookie: 'clear' });
    expect(asked, 'the response is held for the clearing cookies').to.include('mayChange');
    expect(await fx.store.inspect(id)).to.equal(null);
  });

  it('U4: revokeSession() of another handle ends that session only; an unknown handle answers false', async () => {
    const fx = fixture();
    const current = await seedSession(fx, {}, { id: 'u1' });
    const other = await seedSession(fx, {}, { id: 'u1' });
    const otherHandle = (await fx.store.inspect(other))?.handle as string;
    const state = await openedState(fx, current);
    const { members } = membersOf(state);
    expect(await members.revokeSession(otherHandle)).to.equal(true);
    expect(await members.revokeSession(otherHandle)).to.equal(false);
    expect({ id: state.id, cookie: state.cookie }).to.deep.equal({ id: current, cookie: 'none' });
    expect(await fx.store.inspect(other)).to.equal(null);
  });

  it('U4: the user operations of an anonymous session reject with a SessionDataError, without a store call', async () => {
    const fx = fixture();
    const { members } = membersOf(await openedState(fx));
    for (const call of [() => members.listSessions(), () => members.revokeOtherSessions()]) {
      const error: unknown = await call().then(() => undefined, (thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(SessionDataError);
    }
    expect(fx.store.calls).to.deep.equal([]);
  });

  it('F1: after a failed open, every member throws the open failure', async () => {
    const fx = fixture();
    const id = await seedSession(fx);
    fx.store.fail('load');
    const requestSession = await openedSession(fx, id, new FakeRequest());
    const { session } = requestSession;
    expect(() => session.regenerate()).to.throw(SessionStoreError);
    expect(() => session.destroy()).to.throw(SessionStoreError);
    expect(() => session.touch()).to.throw(SessionStoreError);
    expect(() => session.userId).to.throw(SessionStoreError);
    await Promise.all([session.save(), session.reload(), session.login('u1')].map(async (pending) => {
      expect(await pending.then(() => undefined, (thrown: unknown) => thrown)).to.be.instanceOf(SessionStoreError);
    }));
  });
});
