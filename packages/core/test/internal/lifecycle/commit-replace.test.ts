// The replace step of runCommit (login, regenerate()): the store carries the old session's
// data over and applies this request's per-key changes (SPEC T6, T8 v2).
import { expect } from 'chai';
import { SessionConflictError } from '../../../src/errors.js';
import { userTag } from '../../../src/internal/id.js';
import { runCommit } from '../../../src/internal/lifecycle/commit.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import { MemoryStore } from '../../../src/memory-store.js';
import { FakeRequest, fixture, openedState, seedSession, type Fixture } from '../../support/lifecycle.js';
import { ScriptedStore } from '../../support/scripted-store.js';

/** The real MemoryStore replace, with scripted answers first (an id collision). */
class MergingStore extends ScriptedStore {
  readonly answers: Array<'exists' | 'missing'> = [];

  constructor() {
    super();
    this.script.replace = (...args) => {
      const scripted = this.answers.shift();
      return scripted === undefined ? MemoryStore.prototype.replace.apply(this, args) : Promise.resolve(scripted);
    };
  }
}

function set(state: RequestState, key: string, value: unknown): void {
  state.data.values[key] = value;
  state.data.touch(key);
}

async function storedData(fx: Fixture, id: string): Promise<Record<string, unknown> | null> {
  const record = await fx.store.inspect(id);
  return record === null ? null : Object.fromEntries(Object.entries(record.data).map(([key, text]) => [key, JSON.parse(text)]));
}

/** A stored anonymous session {a: 1, b: 2} opened on a MergingStore, then logged in as u1 (the state login() leaves). */
async function loggingIn(intent: 'login' | 'regenerate' = 'login') {
  const store = new MergingStore();
  const fx = fixture({}, store);
  const oldId = await seedSession(fx, { a: 1, b: 2 });
  const request = new FakeRequest(undefined, { userAgent: 'browser' });
  const state = await openedState(fx, oldId, request);
  if (intent === 'login') state.adoptUser({ id: 'u1', version: 0, attributes: '{}' });
  state.intent = intent;
  return { fx, store, oldId, state, request };
}

describe('lifecycle: runCommit, replace (login, regenerate)', () => {
  it('T6: a login replaces the id: the old one is gone, the new one (with the user tag) holds the data, its cookie is issued', async () => {
    const { fx, store, oldId, state, request } = await loggingIn();
    set(state, 'b', 3);
    await runCommit(state);
    expect(store.methods()).to.deep.equal(['replace']);
    const newId = state.id as string;
    expect(newId.startsWith(`${userTag('u1')}.`)).to.equal(true);
    expect(await storedData(fx, oldId)).to.equal(null);
    expect(await storedData(fx, newId)).to.deep.equal({ a: 1, b: 3 });
    expect(request.actions()).to.deep.equal(['issue']);
    expect(await fx.signer.verify(request.lastToken() ?? '')).to.deep.equal({ sessionId: newId, currentKey: true });
    expect(state.intent).to.equal('none');
  });

  it('T8: a login sends only this request\'s changes, so a key another request wrote on the old id meanwhile is kept', async () => {
    const { fx, store, oldId, state } = await loggingIn();
    set(state, 'b', 3);
    await MemoryStore.prototype.update.call(store, oldId, { set: { concurrent: '"yes"' }, unset: [] });
    await runCommit(state);
    const [, , record, changes] = store.argsOf('replace')[0] ?? [];
    expect(changes).to.deep.equal({ set: { b: '3' }, unset: [] });
    expect(record).to.include({ handle: state.handle }).and.have.nested.property('user.id', 'u1');
    expect(await storedData(fx, state.id as string)).to.deep.equal({ a: 1, b: 3, concurrent: 'yes' });
  });

  it('T6: regenerate() of a stored anonymous session replaces its id and keeps its data', async () => {
    const { fx, store, oldId, state } = await loggingIn('regenerate');
    await runCommit(state);
    expect(store.methods()).to.deep.equal(['replace']);
    expect(state.id).to.be.a('string').and.not.equal(oldId);
    expect(await storedData(fx, state.id as string)).to.deep.equal({ a: 1, b: 2 });
    expect(await storedData(fx, oldId)).to.equal(null);
  });

  it('T5: a replace answering exists is retried with a fresh new id', async () => {
    const { fx, store, state } = await loggingIn();
    store.answers.push('exists', 'exists');
    await runCommit(state);
    const newIds = store.argsOf('replace').map((args) => args[1]);
    expect(newIds).to.have.length(3);
    expect(new Set(newIds).size).to.equal(3);
    expect(state.id).to.equal(newIds[2]);
    expect(await storedData(fx, state.id as string)).to.deep.equal({ a: 1, b: 2 });
  });

  it('T8: a login whose old session was destroyed meanwhile goes on with a fresh session holding only this request\'s changes', async () => {
    const { fx, store, oldId, state, request } = await loggingIn();
    set(state, 'b', 3);
    await MemoryStore.prototype.destroy.call(store, oldId);
    await runCommit(state);
    expect(store.methods()).to.deep.equal(['replace', 'create']);
    expect(await storedData(fx, state.id as string)).to.deep.equal({ b: 3 });
    expect((await fx.store.inspect(state.id as string))?.user?.id).to.equal('u1');
    expect(request.actions()).to.deep.equal(['issue']);
  });

  it('T8: regenerate() of a user\'s session whose old record is gone is refused (409), the cookies cleared', async () => {
    const store = new MergingStore();
    const fx = fixture({}, store);
    const oldId = await seedSession(fx, { a: 1 }, { id: 'u1' });
    const request = new FakeRequest();
    const state = await openedState(fx, oldId, request);
    state.intent = 'regenerate';
    await MemoryStore.prototype.destroy.call(store, oldId);
    const error: unknown = await runCommit(state).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(SessionConflictError).and.include({ status: 409 });
    expect(request.actions()).to.deep.equal(['clear']);
    expect({ id: state.id, user: state.user }).to.deep.equal({ id: null, user: null });
    expect(store.methods()).to.deep.equal(['replace']);
  });

  it('T6, R5: login() after destroy() replaces the record with only what this request set: every old key unset', async () => {
    const { fx, store, state } = await loggingIn();
    state.data.removeAll();
    set(state, 'x', 1);
    await runCommit(state);
    const [, , , changes] = store.argsOf('replace')[0] ?? [];
    expect(changes).to.deep.equal({ set: { x: '1' }, unset: ['a', 'b'] });
    expect(await storedData(fx, state.id as string)).to.deep.equal({ x: 1 });
  });
});
