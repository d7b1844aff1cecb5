// The session limit of a login in runCommit (SPEC P4): the engine hands the store
// `{ max, onLimit }` for a login only, and a refused login throws SessionLimitError with
// nothing written and the request still on its old session.
import { expect } from 'chai';
import { SessionLimitError } from '../../../src/errors.js';
import { runCommit } from '../../../src/internal/lifecycle/commit.js';
import type { RequestState } from '../../../src/internal/lifecycle/state.js';
import type { SessionOptions } from '../../../src/options.js';
import type { StoredUser } from '../../../src/store.js';
import { FakeRequest, fixture, openedState, seedSession, type Fixture } from '../../support/lifecycle.js';

const ANN: StoredUser = { id: 'u-ann', version: 0, attributes: '{"name":"Ann"}' };

function set(state: RequestState, key: string, value: unknown): void {
  state.data.values[key] = value;
  state.data.touch(key);
}

/** The state `login()` leaves: the user adopted, the login pending. */
function logIn(state: RequestState, user: StoredUser = ANN): void {
  state.adoptUser(user);
  state.intent = 'login';
}

/** Seeds `count` live sessions of Ann. */
async function annSessions(fx: Fixture, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) ids.push(await seedSession(fx, {}, { id: ANN.id, attributes: { name: 'Ann' } }));
  return ids;
}

async function anonymousLoggingIn(options: Omit<SessionOptions, 'store' | 'env'>) {
  const fx = fixture(options);
  const oldId = await seedSession(fx, { cart: ['pen'] });
  const request = new FakeRequest();
  const state = await openedState(fx, oldId, request);
  return { fx, oldId, state, request };
}

describe('lifecycle: runCommit under maxSessionsPerUser (P4)', () => {
  it('P4: a login over a stored session passes the limit to replace; without the option, none', async () => {
    for (const [options, limit] of [
      [{ maxSessionsPerUser: 3 }, { max: 3, onLimit: 'end-least-recent' }],
      [{ maxSessionsPerUser: 1, onLimit: 'refuse' as const }, { max: 1, onLimit: 'refuse' }],
      [{}, undefined],
    ] as const) {
      const { fx, state } = await anonymousLoggingIn(options);
      logIn(state);
      await runCommit(state);
      expect(fx.store.argsOf('replace')[0]?.[4], JSON.stringify(options)).to.deep.equal(limit);
    }
  });

  it('P4: a login of a new session passes the limit to create', async () => {
    const fx = fixture({ maxSessionsPerUser: 2 });
    const state = await openedState(fx);
    logIn(state);
    await runCommit(state);
    expect(fx.store.methods()).to.deep.equal(['create']);
    expect(fx.store.argsOf('create')[0]?.[2]).to.deep.equal({ max: 2, onLimit: 'end-least-recent' });
  });

  it('P4: regenerate() of a user\'s session adds no session: no limit is passed', async () => {
    const fx = fixture({ maxSessionsPerUser: 1, onLimit: 'refuse' });
    const [id] = await annSessions(fx, 2);
    const state = await openedState(fx, id);
    state.intent = 'regenerate';
    await runCommit(state);
    expect(fx.store.argsOf('replace')[0]?.[4]).to.equal(undefined);
    expect(state.id).to.not.equal(id);
  });

  it('P4: a login beyond the cap with end-least-recent ends the least recently seen session and logs in', async () => {
    const { fx, oldId, state, request } = await anonymousLoggingIn({ maxSessionsPerUser: 2 });
    const [first, second] = await annSessions(fx, 2);
    await fx.store.load(second ?? '', { now: Date.now() + 1_000, idleTimeoutMs: 60_000 });
    logIn(state);
    await runCommit(state);
    expect(await fx.store.inspect(first ?? ''), 'the least recently seen').to.equal(null);
    expect(await fx.store.inspect(second ?? '')).to.not.equal(null);
    expect(await fx.store.inspect(oldId)).to.equal(null);
    expect(request.actions()).to.deep.equal(['issue']);
    expect((await fx.store.listUserSessions(ANN.id, Date.now())).map((entry) => entry.sessionId).sort()).to.deep.equal([second, state.id].sort());
  });

  it('P4, F5: a refused login throws SessionLimitError (409) naming maxSessionsPerUser, no id in it; nothing is written and the old session still serves', async () => {
    const { fx, oldId, state, request } = await anonymousLoggingIn({ maxSessionsPerUser: 2, onLimit: 'refuse' });
    const existing = await annSessions(fx, 2);
    set(state, 'step', 1);
    logIn(state);
    let thrown: unknown;
    await runCommit(state).catch((error: unknown) => {
      thrown = error;
    });
    expect(thrown).to.be.instanceOf(SessionLimitError).and.include({ code: 'ERR_SESSION_LIMIT', status: 409 });
    const message = (thrown as Error).message;
    expect(message).to.include('maxSessionsPerUser (2)');
    for (const id of [oldId, ...existing]) expect(message).to.not.include(id);
    expect(fx.store.methods()).to.deep.equal(['replace']);
    expect(state.id, 'the request still names its old session').to.equal(oldId);
    expect(request.written, 'no cookie written').to.deep.equal([]);
    expect((await fx.store.inspect(oldId))?.data).to.deep.equal({ cart: '["pen"]' });
    expect((await fx.store.listUserSessions(ANN.id, Date.now())).map((entry) => entry.sessionId).sort()).to.deep.equal([...existing].sort());
  });

  it('P4: a refused login of a new session throws SessionLimitError and creates nothing', async () => {
    const fx = fixture({ maxSessionsPerUser: 1, onLimit: 'refuse' });
    await annSessions(fx, 1);
    const state = await openedState(fx);
    logIn(state);
    await runCommit(state).then(() => expect.fail('the login was not refused'), (error: unknown) => expect(error).to.be.instanceOf(SessionLimitError));
    expect(state.id).to.equal(null);
    expect(await fx.store.listUserSessions(ANN.id, Date.now())).to.have.length(1);
    expect(fx.store.size).to.equal(1);
  });

  it('P4: a login of another user over a user\'s session counts only the new user\'s sessions', async () => {
    const fx = fixture({ maxSessionsPerUser: 1, onLimit: 'refuse' });
    const bobId = await seedSession(fx, {}, { id: 'u-bob' });
    await seedSession(fx, {}, { id: 'u-bob' });
    const state = await openedState(fx, bobId);
    logIn(state);
    await runCommit(state);
    expect(state.user?.id).to.equal(ANN.id);
    expect(await fx.store.listUserSessions('u-bob', Date.now())).to.have.length(1);
    expect(await fx.store.listUserSessions(ANN.id, Date.now())).to.have.length(1);
  });
});
