import { expect } from 'chai';
import { SessionConflictError, SessionDataError, SessionStoreError } from '../../../src/errors.js';
import { SESSION_ID_PATTERN, userTag } from '../../../src/internal/id.js';
import { runCommit } from '../../../src/internal/lifecycle/commit.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import type { StoredSession } from '../../../src/store.js';
import { FakeRequest, fixture, openedState, seedSession, type Fixture } from '../../support/lifecycle.js';

/** What the session proxy does on a set (or, with undefined, a delete): the value changes and its key is marked. */
function set(state: RequestState, key: string, value: unknown): void {
  if (value === undefined) delete state.data.values[key];
  else state.data.values[key] = value;
  state.data.touch(key);
}

/** The stored data of `id`, parsed; null when there is no record. Not a recorded store call. */
async function storedData(fx: Fixture, id: string): Promise<Record<string, unknown> | null> {
  const record = await fx.store.inspect(id);
  return record === null ? null : Object.fromEntries(Object.entries(record.data).map(([key, text]) => [key, JSON.parse(text)]));
}

describe('lifecycle: runCommit', () => {
  it('T4: only the changed keys are written: set and unset, not the ones touched but equal', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1, b: 2, c: 3 });
    const state = await openedState(fx, id);
    set(state, 'a', 1);
    set(state, 'b', 20);
    set(state, 'c', undefined);
    await runCommit(state);
    expect(fx.store.calls).to.deep.equal([{ method: 'update', args: [id, { set: { b: '20' }, unset: ['c'] }] }]);
    expect(await storedData(fx, id)).to.deep.equal({ a: 1, b: 20 });
    fx.store.calls.length = 0;
    await runCommit(state);
    expect(fx.store.calls, 'a second commit finds nothing new').to.deep.equal([]);
  });

  it('T4, T3: a stored session that changed nothing, and an anonymous one without data, make no store call and set no cookie', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const [stored, anonymous] = [new FakeRequest(), new FakeRequest()];
    await runCommit(await openedState(fx, id, stored));
    await runCommit(await openedState(fx, undefined, anonymous));
    expect(fx.store.calls).to.deep.equal([]);
    expect([stored.written, anonymous.written]).to.deep.equal([[], []]);
  });

  it('T3, T5, K1: an anonymous request with data creates a record and issues the cookie of its new, signed id', async () => {
    const fx = fixture();
    const request = new FakeRequest();
    const state = await openedState(fx, undefined, request);
    set(state, 'cart', ['book']);
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['create']);
    const [newId, record] = fx.store.argsOf('create')[0] as [string, StoredSession];
    expect(newId).to.match(SESSION_ID_PATTERN).and.equal(state.id);
    expect(record.data).to.deep.equal({ cart: '["book"]' });
    expect(request.actions()).to.deep.equal(['issue']);
    expect(await fx.signer.verify(request.lastToken() ?? '')).to.deep.equal({ sessionId: newId, currentKey: true });
  });

  it('T8: an update answered missing is refused with SessionConflictError (409); the cookies are cleared and the request is anonymous', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    await fx.store.destroy(id);
    fx.store.calls.length = 0;
    set(state, 'a', 2);
    const error: unknown = await runCommit(state).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionConflictError).and.include({ code: 'ERR_SESSION_CONFLICT', status: 409 });
    expect(request.actions()).to.deep.equal(['clear']);
    expect({ id: state.id, token: state.token, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ id: null, token: null, cookie: 'none', data: {} });
    expect(await storedData(fx, id), 'not resurrected').to.equal(null);
  });

  describe('a value changed in place into one that is not JSON (O2)', () => {
    async function refusal(state: RequestState): Promise<SessionDataError> {
      const error: unknown = await runCommit(state).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).to.be.instanceOf(SessionDataError).and.include({ code: 'ERR_SESSION_DATA', status: 500 });
      return error as SessionDataError;
    }

    it('O2, T4: an update fails at the commit naming the key and path, before any store call: nothing written, no cookie', async () => {
      const fx = fixture();
      const id = await seedSession(fx, { cart: [{ sku: 'a' }], n: 1 });
      const request = new FakeRequest();
      const state = await openedState(fx, id, request);
      set(state, 'n', 2);
      state.data.touch('cart'); // what the proxy does when it hands the array out
      (state.data.values['cart'] as Array<Record<string, unknown>>)[0]!['at'] = new Date(0);
      expect((await refusal(state)).message).to.equal('session key "cart" is not JSON: cart[0].at is a Date');
      expect(fx.store.calls).to.deep.equal([]);
      expect(request.written).to.deep.equal([]);
      expect(await storedData(fx, id)).to.deep.equal({ cart: [{ sku: 'a' }], n: 1 });
    });

    it('O2, T3: a new session whose value was changed in place after its assignment is not created', async () => {
      const fx = fixture();
      const request = new FakeRequest();
      const state = await openedState(fx, undefined, request);
      const prefs: Record<string, unknown> = { theme: 'dark' };
      set(state, 'prefs', prefs);
      prefs['seen'] = new Set();
      expect((await refusal(state)).message).to.equal('session key "prefs" is not JSON: prefs.seen is a Set');
      expect(fx.store.calls).to.deep.equal([]);
      expect(request.written).to.deep.equal([]);
    });

    it('O2, T6: a regenerate() carrying such a value is refused before the replace; the old session is unchanged', async () => {
      const fx = fixture();
      const id = await seedSession(fx, { list: [1] });
      const state = await openedState(fx, id);
      state.intent = 'regenerate';
      state.data.touch('list');
      (state.data.values['list'] as unknown[]).push(Number.NaN);
      expect((await refusal(state)).message).to.equal('session key "list" is not JSON: list[1] is NaN');
      expect(fx.store.calls).to.deep.equal([]);
      expect(await storedData(fx, id)).to.deep.equal({ list: [1] });
    });
  });

  it('R5: destroy() removes the record and clears both cookies', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    state.intent = 'destroy';
    state.data.removeAll();
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['destroy']);
    expect(await storedData(fx, id)).to.equal(null);
    expect(request.actions()).to.deep.equal(['clear']);
    expect({ id: state.id, intent: state.intent }).to.deep.equal({ id: null, intent: 'none' });
  });

  it('R5: keys set after destroy() start a new record holding only them, under a new id', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1, b: 2 });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    state.intent = 'destroy';
    state.data.removeAll();
    set(state, 'x', 1);
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['destroy', 'create']);
    expect(state.id).to.be.a('string').and.not.equal(id);
    expect(await storedData(fx, id)).to.equal(null);
    expect(await storedData(fx, state.id as string)).to.deep.equal({ x: 1 });
    expect(request.actions(), 'one write: the new session\'s cookies').to.deep.equal(['issue']);
  });

  it('T5: an id collision (create answering exists) is retried with a fresh id', async () => {
    const fx = fixture();
    let collisions = 3;
    fx.store.script.create = async (newId, session) => (collisions-- > 0 ? 'exists' : fx.store.seed(newId, session));
    const state = await openedState(fx);
    set(state, 'a', 1);
    await runCommit(state);
    const ids = fx.store.argsOf('create').map(([newId]) => newId);
    expect(ids).to.have.length(4);
    expect(new Set(ids).size, 'every attempt a fresh id').to.equal(4);
    expect(state.id).to.equal(ids[3]);
    expect(await storedData(fx, ids[3] as string)).to.deep.equal({ a: 1 });
  });

  it('T5, F1: after 5 collisions the commit gives up with a SessionStoreError and sets no cookie', async () => {
    const fx = fixture();
    fx.store.script.create = async () => 'exists';
    const request = new FakeRequest();
    const state = await openedState(fx, undefined, request);
    set(state, 'a', 1);
    const error: unknown = await runCommit(state).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionStoreError).and.include({ code: 'ERR_SESSION_STORE', operation: 'create', status: 503 });
    expect(fx.store.methods()).to.deep.equal(['create', 'create', 'create', 'create', 'create']);
    expect(request.written).to.deep.equal([]);
  });

  it('F1: a failing store call rejects the commit with a SessionStoreError', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    const state = await openedState(fx, id);
    fx.store.fail('update');
    set(state, 'a', 2);
    const error: unknown = await runCommit(state).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionStoreError).and.include({ operation: 'commit' });
  });

  for (const phase of ['failed', 'ended'] as const) {
    it(`F1, L1: in phase ${phase} a commit makes no store call and writes no cookie, whatever is pending`, async () => {
      const fx = fixture();
      const id = await seedSession(fx, { a: 1 });
      const request = new FakeRequest();
      const state = await openedState(fx, id, request);
      state.phase = phase;
      set(state, 'a', 2);
      state.intent = 'login';
      state.cookie = 'issue';
      await runCommit(state);
      expect({ calls: fx.store.calls, written: request.written }).to.deep.equal({ calls: [], written: [] });
    });
  }

  it('U1, U4, S1: a login\'s new record carries the user, a fresh handle and this request\'s User-Agent (at most 256 characters), under an id with the user tag', async () => {
    const fx = fixture();
    const state = await openedState(fx, undefined, new FakeRequest(undefined, { userAgent: 'x'.repeat(300) }));
    state.adoptUser({ id: 'u1', version: 0, attributes: '{}' });
    state.intent = 'login';
    await runCommit(state);
    const [newId, record] = fx.store.argsOf('create')[0] as [string, StoredSession];
    expect(newId.startsWith(`${userTag('u1')}.`)).to.equal(true);
    expect(record.user).to.deep.equal({ id: 'u1', version: 0, attributes: '{}' });
    expect(record.handle).to.be.a('string').and.equal(state.handle);
    expect(record.userAgent).to.equal('x'.repeat(256));
    expect(state.intent).to.equal('none');
  });
});
