import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { SessionHookError, SessionStoreError, type SessionError } from '../../../src/errors.js';
import { endSession } from '../../../src/internal/lifecycle/end.js';
import { openSession } from '../../../src/internal/lifecycle/open.js';
import type { LogoutOptions } from '../../../src/logout.js';
import type { ErrorReport, SessionOptions } from '../../../src/options.js';
import type { Session } from '../../../src/session.js';
import { deferred } from '../../support/deferred.js';
import { FakeRequest, cookieHeaderOf, fixture, newState, openedSession, openedState, seedSession } from '../../support/lifecycle.js';
import { never } from '../../support/scripted-store.js';

/** The store bound of these tests: small, so a stalled store costs little; assertions allow 1.5 bounds (SPEC L2). */
const BOUND_MS = 100;

/** A fixture whose onError reports are collected. */
function reporting(overrides: Omit<SessionOptions, 'store' | 'env' | 'onError'> = {}) {
  const reports: Array<[SessionError, ErrorReport]> = [];
  const fx = fixture({ storeTimeout: BOUND_MS, ...overrides, onError: (error, report) => reports.push([error, report]) });
  return { fx, reports };
}

/** Logs out through the lifecycle module, timing it. */
async function logout(state: Parameters<typeof endSession>[0], beforeLogout?: LogoutOptions['beforeLogout'], scope: 'session' | 'user' = 'session') {
  const started = performance.now();
  const outcome = await endSession(state, {} as Session, beforeLogout, scope);
  return { outcome, elapsed: performance.now() - started };
}

describe('lifecycle: endSession (logout)', () => {
  it('L1, L5: logout destroys the record and clears both cookies; the old cookie then yields an anonymous request', async () => {
    const { fx, reports } = reporting();
    const id = await seedSession(fx, { a: 1 });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    const { outcome } = await logout(state);
    expect(outcome).to.deep.equal({ revoked: true, errors: [] });
    expect(fx.store.methods()).to.deep.equal(['destroy']);
    expect(request.actions()).to.deep.equal(['clear']);
    expect({ phase: state.phase, id: state.id }).to.deep.equal({ phase: 'ended', id: null });
    const replay = newState(fx, new FakeRequest(await cookieHeaderOf(fx, id)));
    await openSession(replay);
    expect({ id: replay.id, cookie: replay.cookie }).to.deep.equal({ id: null, cookie: 'clear' });
    expect(reports).to.deep.equal([]);
  });

  it('L4: scope user revokes every session of the user, and no other user\'s', async () => {
    const { fx } = reporting();
    const mine = [await seedSession(fx, {}, { id: 'u1' }), await seedSession(fx, {}, { id: 'u1' }), await seedSession(fx, {}, { id: 'u1' })];
    const theirs = await seedSession(fx, {}, { id: 'u2' });
    const { outcome } = await logout(await openedState(fx, mine[0]), undefined, 'user');
    expect(outcome).to.deep.equal({ revoked: true, errors: [] });
    for (const id of mine) expect(await fx.store.inspect(id), 'a session of u1').to.equal(null);
    expect(await fx.store.inspect(theirs)).to.not.equal(null);
  });

  it('L2, F1: a store that never answers: the logout answers within one store bound, cookies cleared, revoked false, the error reported', async () => {
    const { fx, reports } = reporting();
    const id = await seedSession(fx, {}, { id: 'u1' });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    fx.store.hang('destroy', 'revokeUserSessions');
    const { outcome, elapsed } = await logout(state, undefined, 'user');
    expect(elapsed).to.be.below(1.5 * BOUND_MS);
    expect(outcome).to.deep.equal({ revoked: false, errors: ['ERR_SESSION_STORE'] });
    expect(reports.map(([error, report]) => [error.constructor, report])).to.deep.equal([[SessionStoreError, { operation: 'logout' }]]);
    expect(request.actions()).to.deep.equal(['clear']);
  });

  it('L2, F4: a beforeLogout that never answers runs alongside a store that never answers: still one store bound in all', async () => {
    const { fx, reports } = reporting();
    const id = await seedSession(fx, {}, { id: 'u1' });
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    fx.store.hang('destroy', 'revokeUserSessions');
    const { outcome, elapsed } = await logout(state, () => never(), 'user');
    expect(elapsed).to.be.below(1.5 * BOUND_MS);
    expect({ revoked: outcome.revoked, errors: [...outcome.errors].sort() }).to.deep.equal({ revoked: false, errors: ['ERR_SESSION_HOOK', 'ERR_SESSION_STORE'] });
    expect(reports.map(([, report]) => report.operation).sort()).to.deep.equal(['beforeLogout', 'logout']);
    expect(request.actions()).to.deep.equal(['clear']);
  });

  it('L2, F4: a beforeLogout that throws is reported and the user is logged out all the same', async () => {
    const { fx, reports } = reporting();
    const id = await seedSession(fx);
    const request = new FakeRequest();
    const { outcome } = await logout(await openedState(fx, id, request), () => {
      throw new Error('audit log down');
    });
    expect(outcome).to.deep.equal({ revoked: true, errors: ['ERR_SESSION_HOOK'] });
    expect(reports.map(([error, report]) => [error.constructor, report])).to.deep.equal([[SessionHookError, { operation: 'beforeLogout' }]]);
    expect(await fx.store.inspect(id)).to.equal(null);
    expect(request.actions()).to.deep.equal(['clear']);
  });

  it('L2: beforeLogout runs for a live session, with its data as loaded; not for an anonymous request', async () => {
    const { fx } = reporting();
    const id = await seedSession(fx, { cart: ['book'] });
    const seen: unknown[] = [];
    const beforeLogout = ({ session }: { session: Session }): void => {
      seen.push(session['cart']);
    };
    await (await openedSession(fx, id)).logout({ beforeLogout });
    await (await openedSession(fx)).logout({ beforeLogout });
    expect(seen).to.deep.equal([['book']]);
  });

  it('L2, L4: after a failed open, scope user answers revoked false (the user\'s other sessions are unknown) and reports the failure', async () => {
    const { fx, reports } = reporting();
    const id = await seedSession(fx, {}, { id: 'u1' });
    fx.store.fail('load');
    const request = new FakeRequest();
    const state = await openedState(fx, id, request);
    expect(state.phase).to.equal('failed');
    const { outcome } = await logout(state, undefined, 'user');
    expect(outcome).to.deep.equal({ revoked: false, errors: ['ERR_SESSION_STORE'] });
    expect(reports.map(([, report]) => report.operation)).to.deep.equal(['logout']);
    expect(request.actions()).to.deep.equal(['clear']);
    expect(fx.store.argsOf('destroy'), 'the cookie\'s id is still tried').to.deep.equal([[id]]);
  });

  it('L2: with no session cookie the logout still clears both cookies, without a store call', async () => {
    const { fx } = reporting();
    const request = new FakeRequest();
    const { outcome } = await logout(await openedState(fx, undefined, request));
    expect(outcome).to.deep.equal({ revoked: true, errors: [] });
    expect(fx.store.calls).to.deep.equal([]);
    expect(request.actions()).to.deep.equal(['clear']);
  });

  it('F4: an onError hook that throws is logged, and the logout still answers', async () => {
    const logged: string[] = [];
    const fx = fixture({ onError: () => { throw new Error('hook bug'); }, logger: { warn: () => undefined, error: (message) => logged.push(message) } });
    const id = await seedSession(fx);
    fx.store.fail('destroy');
    const { outcome } = await logout(await openedState(fx, id));
    expect(outcome).to.deep.equal({ revoked: false, errors: ['ERR_SESSION_STORE'] });
    expect(logged).to.deep.equal(['sessionware: the onError hook threw']);
  });

  it('T8, L1: a logout waits for a commit in flight, then destroys the id that commit created', async () => {
    const { fx } = reporting({ storeTimeout: 2_000 });
    const gate = deferred();
    const reached = deferred();
    fx.store.script.create = async (id, session) => {
      reached.resolve();
      await gate.promise;
      return fx.store.seed(id, session);
    };
    const requestSession = await openedSession(fx);
    requestSession.session['a'] = 1;
    const saving = requestSession.session.save();
    await reached.promise;
    const outcome = requestSession.logout({ beforeLogout: undefined });
    gate.resolve();
    await saving;
    expect(await outcome).to.deep.equal({ revoked: true, errors: [] });
    const [[createdId]] = fx.store.argsOf('create') as [[string]];
    expect(fx.store.argsOf('destroy')).to.deep.equal([[createdId]]);
    expect(await fx.store.inspect(createdId)).to.equal(null);
  });

  it('L1: once logged out, the session cannot change and its commit stores nothing', async () => {
    const { fx } = reporting();
    const id = await seedSession(fx, { a: 1 });
    const requestSession = await openedSession(fx, id);
    await requestSession.logout({ beforeLogout: undefined });
    fx.store.calls.length = 0;
    expect(() => { requestSession.session['a'] = 2; }).to.throw('logged out');
    await requestSession.commit();
    expect(fx.store.calls).to.deep.equal([]);
  });
});
