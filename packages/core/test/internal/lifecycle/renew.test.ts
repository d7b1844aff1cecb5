import { expect } from 'chai';
import { SessionConflictError } from '../../../src/errors.js';
import { generateHandle, generateSessionId, parseSessionId, userTag } from '../../../src/internal/id.js';
import { runCommit } from '../../../src/internal/lifecycle/commit.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import { RequestSessionState } from '../../../src/internal/request-session.js';
import { MemoryStore } from '../../../src/memory-store.js';
import type { RenewResult } from '../../../src/store.js';
import { FakeRequest, cookieHeaderOf, fixture, openedState, seedSession, type Fixture } from '../../support/lifecycle.js';

const INTERVAL = 60_000;
const GRACE = 5_000;

/** The engine's parts with renewal on: an interval of a minute, a grace of 5 s. */
const renewing = (): Fixture => fixture({ renewalInterval: INTERVAL, renewalGrace: GRACE });

/** A session of user `userId` whose id was issued `age` ms ago; its id. */
async function seedAged(fx: Fixture, age: number, data: Record<string, string> = { a: '1' }, userId = 'u1'): Promise<string> {
  const now = Date.now();
  const id = generateSessionId(userId);
  const createdAt = now - age;
  await fx.store.seed(id, {
    data, createdAt, lastSeenAt: createdAt, expiresAt: now + 60_000, absoluteExpiresAt: createdAt + 3_600_000,
    user: { id: userId, version: 0, attributes: '{}' }, handle: generateHandle(),
  });
  return id;
}

function set(state: RequestState, key: string, value: unknown): void {
  state.data.values[key] = value;
  state.data.touch(key);
}

describe('lifecycle: renewal (P2)', () => {
  it('P2, C1: a user\'s session whose id is older than renewalInterval is due at open; the commit renews it to a new id of the user and issues both cookies for it', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL);
    const request = new FakeRequest();
    const state = await openedState(fx, oldId, request);
    expect(state.renewalDue).to.equal(true);
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['renew']);
    const [renewedFrom, newId, context] = fx.store.argsOf('renew')[0] as [string, string, { now: number; graceMs: number }];
    expect(renewedFrom).to.equal(oldId);
    expect(parseSessionId(newId)?.tag).to.equal(userTag('u1'));
    expect(context.graceMs).to.equal(GRACE);
    expect(state.id).to.equal(newId);
    expect(request.actions()).to.deep.equal(['issue']);
    expect(request.written[0]).to.have.length(2);
    expect(await fx.signer.verify(request.lastToken() ?? '')).to.deep.equal({ sessionId: newId, currentKey: true });
    expect((await fx.store.inspect(newId))?.data).to.deep.equal({ a: '1' });
  });

  it('P2, T4: a due session with changed keys is renewed, then updated on the new id: one store call more than without renewal', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL + 1);
    const state = await openedState(fx, oldId);
    set(state, 'b', 2);
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['renew', 'update']);
    expect(fx.store.argsOf('update')[0]).to.deep.equal([state.id, { set: { b: '2' }, unset: [] }]);
    expect((await fx.store.inspect(state.id ?? ''))?.data).to.deep.equal({ a: '1', b: '2' });
  });

  it('P2: a younger session, an anonymous one, and any session with renewal off are not due: no renew, no cookie', async () => {
    const fx = renewing();
    const young = await seedAged(fx, INTERVAL - 5_000);
    const anonymous = await seedSession(fx, { a: 1 });
    const off = fixture({}, fx.store);
    for (const [name, f, id] of [['younger', fx, young], ['anonymous', fx, anonymous], ['renewal off', off, await seedAged(fx, 10 * INTERVAL)]] as const) {
      const request = new FakeRequest();
      const state = await openedState(f, id, request);
      expect(state.renewalDue, name).to.equal(false);
      await runCommit(state);
      expect(fx.store.methods(), name).to.deep.equal([]);
      expect(request.written, name).to.deep.equal([]);
    }
  });

  it('P2: a request with the old cookie within the grace adopts the current id at open and re-issues the cookies, with no store call but the load', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL);
    const first = await openedState(fx, oldId);
    await runCommit(first);
    const newId = first.id ?? '';
    fx.store.calls.length = 0;
    const request = new FakeRequest(await cookieHeaderOf(fx, oldId), { cookiesAtOpen: true });
    const late = new RequestSessionState(fx.options, fx.signer, request);
    await late.load();
    expect(fx.store.methods()).to.deep.equal(['load']);
    expect(request.actions(), 'written at open').to.deep.equal(['issue']);
    expect(await fx.signer.verify(request.lastToken() ?? '')).to.deep.equal({ sessionId: newId, currentKey: true });
    expect(late.commitSync(), 'nothing left for the commit').to.equal(true);
  });

  it('P2, T7: a due session asks the adapter to hold the response at open, so the renewal is stored before the headers', async () => {
    const fx = renewing();
    const held: string[] = [];
    const due = new FakeRequest(await cookieHeaderOf(fx, await seedAged(fx, INTERVAL)));
    const young = new FakeRequest(await cookieHeaderOf(fx, await seedAged(fx, 0)));
    for (const [name, request] of [['due', due], ['young', young]] as const) {
      Object.assign(request, { hold: () => (held.push(name), true) });
      const session = await new RequestSessionState(fx.options, fx.signer, request).load();
      expect(session.commitSync(), name).to.equal(name === 'young');
    }
    expect(held).to.deep.equal(['due']);
  });

  it('P2, T6: a due session\'s regenerate() gives it a new id instead of a renewal, and the next request is not due', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL);
    const state = await openedState(fx, oldId);
    state.intent = 'regenerate';
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['replace']);
    const next = await openedState(fx, state.id ?? '');
    expect(next.renewalDue).to.equal(false);
  });

  it('P2, T5: renew answering exists is retried with a fresh id', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL);
    let answers = 0;
    // The first answer is a collision; the next reaches the MemoryStore underneath.
    fx.store.script.renew = (...args): Promise<RenewResult> => (answers++ === 0 ? Promise.resolve('exists') : MemoryStore.prototype.renew.apply(fx.store, args));
    const state = await openedState(fx, oldId);
    await runCommit(state);
    const tried = fx.store.argsOf('renew').map((args) => args[1]);
    expect(tried).to.have.length(2);
    expect(tried[0]).to.not.equal(tried[1]);
    expect(state.id).to.equal(tried[1]);
  });

  it('P2: renew answering { renewedTo } (a concurrent request renewed it first) adopts that id and issues its cookies', async () => {
    const fx = renewing();
    const oldId = await seedAged(fx, INTERVAL);
    const current = generateSessionId('u1');
    fx.store.script.renew = async () => ({ renewedTo: current });
    const request = new FakeRequest();
    const state = await openedState(fx, oldId, request);
    await runCommit(state);
    expect(state.id).to.equal(current);
    expect(await fx.signer.verify(request.lastToken() ?? '')).to.deep.equal({ sessionId: current, currentKey: true });
  });

  it('P2, T8, C3: renew answering missing (ended meanwhile): anonymous with cookies cleared; with changes, refused with SessionConflictError', async () => {
    const fx = renewing();
    fx.store.script.renew = async () => 'missing';
    const quiet = new FakeRequest();
    const unchanged = await openedState(fx, await seedAged(fx, INTERVAL), quiet);
    await runCommit(unchanged);
    expect([unchanged.id, quiet.actions()]).to.deep.equal([null, ['clear']]);
    const writing = new FakeRequest();
    const changed = await openedState(fx, await seedAged(fx, INTERVAL), writing);
    set(changed, 'b', 2);
    let thrown: unknown;
    await runCommit(changed).catch((error: unknown) => { thrown = error; });
    expect(thrown).to.be.instanceOf(SessionConflictError);
    expect(writing.actions()).to.deep.equal(['clear']);
    expect(fx.store.methods()).to.not.include('update');
  });
});
