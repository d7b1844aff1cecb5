import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionStoreError } from '../../../src/errors.js';
import { openSession } from '../../../src/internal/lifecycle/open.js';
import { createSigner } from '../../../src/internal/signer.js';
import { SECRET, FakeRequest, cookieHeaderOf, fixture, newState, seedSession, type Fixture } from '../../support/lifecycle.js';

/** Opens a request carrying `cookieHeader`. */
async function open(fx: Fixture, cookieHeader: string | undefined, settings: { cookiesAtOpen?: boolean } = {}) {
  const request = new FakeRequest(cookieHeader, settings);
  const state = newState(fx, request);
  await openSession(state);
  return { state, request };
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('lifecycle: openSession', () => {
  it('F1, T3: a request without a session cookie never touches the store and sets no cookie', async () => {
    const fx = fixture();
    const { state, request } = await open(fx, 'other=1');
    expect(fx.store.calls).to.deep.equal([]);
    expect({ phase: state.phase, id: state.id, cookie: state.cookie }).to.deep.equal({ phase: 'open', id: null, cookie: 'none' });
    expect(request.written).to.deep.equal([]);
  });

  it('C5: a stray indicator without a session cookie is marked for clearing, without a store call', async () => {
    const fx = fixture();
    const { state } = await open(fx, 'sw.sid.active=1');
    expect(fx.store.calls).to.deep.equal([]);
    expect(state.cookie).to.equal('clear');
  });

  const badTokens: Array<[string, (fx: Fixture, id: string) => Promise<string>]> = [
    ['malformed cookie', async () => 'not-a-jws'],
    ['tampered cookie', async (fx, id) => {
      const [header, , signature] = (await fx.signer.sign(id)).split('.');
      return `${header}.${encode({ sid: 'B'.repeat(43) })}.${signature}`;
    }],
    ['cookie signed with alg none', async (_fx, id) => `${encode({ alg: 'none' })}.${encode({ sid: id })}.x`],
    ['cookie signed with an unknown key', async (_fx, id) => createSigner([randomBytes(48).toString('base64url')], 0).sign(id)],
  ];
  for (const [kind, tokenFor] of badTokens) {
    it(`K2, F3: a ${kind} yields an anonymous request marked for clearing, never a throw or a store call`, async () => {
      const fx = fixture();
      const id = await seedSession(fx, { a: 1 });
      const { state } = await open(fx, `sw.sid=${await tokenFor(fx, id)}; sw.sid.active=1`);
      expect({ phase: state.phase, id: state.id, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ phase: 'open', id: null, cookie: 'clear', data: {} });
      expect(fx.store.calls).to.deep.equal([]);
    });
  }

  it('T2, C5: a live cookie with its indicator loads the data, slides the idle deadline in the load, and needs no cookie', async () => {
    const fx = fixture({ idleTimeout: '1h' });
    const id = await seedSession(fx, { cart: ['book'] });
    const cookieHeader = await cookieHeaderOf(fx, id);
    const { state } = await open(fx, cookieHeader);
    expect(fx.store.methods()).to.deep.equal(['load']);
    expect(fx.store.argsOf('load')[0]?.[1]).to.include({ idleTimeoutMs: 3_600_000 });
    expect({ id: state.id, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ id, cookie: 'none', data: { cart: ['book'] } });
    expect(state.token).to.equal(cookieHeader.split('; ')[0]?.slice('sw.sid='.length));
  });

  it('C5: a live cookie without the indicator is marked for re-issue', async () => {
    const fx = fixture();
    const id = await seedSession(fx);
    const { state } = await open(fx, await cookieHeaderOf(fx, id, { indicator: false }));
    expect(state.cookie).to.equal('issue');
  });

  it('C2: a persistent session is re-issued on every load (its Max-Age follows the slid deadline)', async () => {
    const fx = fixture({ cookie: { expiry: 'persistent' } });
    const id = await seedSession(fx);
    const { state } = await open(fx, await cookieHeaderOf(fx, id));
    expect(state.cookie).to.equal('issue');
  });

  it('C3: a cookie whose record is missing or expired yields an anonymous request marked for clearing', async () => {
    const fx = fixture();
    const id = await seedSession(fx, { a: 1 });
    await fx.store.destroy(id);
    fx.store.calls.length = 0;
    const { state } = await open(fx, await cookieHeaderOf(fx, id));
    expect(fx.store.methods()).to.deep.equal(['load']);
    expect({ phase: state.phase, id: state.id, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ phase: 'open', id: null, cookie: 'clear', data: {} });
  });

  it('F1: a store failure puts the state in phase failed with a SessionStoreError, keeping the cookie\'s id for a logout', async () => {
    const fx = fixture();
    const id = await seedSession(fx);
    fx.store.fail('load');
    const { state } = await open(fx, await cookieHeaderOf(fx, id));
    expect(state.phase).to.equal('failed');
    expect(state.failure).to.be.instanceOf(SessionStoreError).and.include({ code: 'ERR_SESSION_STORE', operation: 'load', status: 503 });
    expect(state.id).to.equal(id);
    expect(() => state.throwIfOpenFailed()).to.throw(SessionStoreError);
  });

  it('F1: a store that does not answer fails the open within the store bound', async () => {
    const fx = fixture({ storeTimeout: 50 });
    const id = await seedSession(fx);
    fx.store.hang('load');
    const { state } = await open(fx, await cookieHeaderOf(fx, id));
    expect({ phase: state.phase, id: state.id }).to.deep.equal({ phase: 'failed', id });
    expect(state.failure).to.be.instanceOf(SessionStoreError);
  });

  it('K2: a cookie signed with an older key is accepted and re-signed with the first key before the handler runs', async () => {
    const older = randomBytes(48).toString('base64url');
    const oldFx = fixture({ secrets: [older] });
    const fx = fixture({ secrets: [SECRET, older] }, oldFx.store);
    const id = await seedSession(fx, { a: 1 });
    const oldHeader = await cookieHeaderOf(oldFx, id);
    const { state } = await open(fx, oldHeader);
    expect({ id: state.id, cookie: state.cookie, data: { ...state.data.values } }).to.deep.equal({ id, cookie: 'issue', data: { a: 1 } });
    expect(state.token).to.be.a('string').and.not.equal(oldHeader.split('; ')[0]?.slice('sw.sid='.length));
    expect(await fx.signer.verify(state.token as string)).to.deep.equal({ sessionId: id, currentKey: true });
  });

  describe('with cookiesAtOpen (Express)', () => {
    it('C5, T7: a stray indicator is cleared at open, before the handler runs', async () => {
      const fx = fixture();
      const { state, request } = await open(fx, 'sw.sid.active=1', { cookiesAtOpen: true });
      expect(request.actions()).to.deep.equal(['clear']);
      expect(state.cookie, 'nothing left for the commit').to.equal('none');
    });

    it('C5, T7: a live session missing its indicator gets both cookies at open', async () => {
      const fx = fixture();
      const id = await seedSession(fx);
      const { state, request } = await open(fx, await cookieHeaderOf(fx, id, { indicator: false }), { cookiesAtOpen: true });
      expect(request.actions()).to.deep.equal(['issue']);
      expect(request.lastToken()).to.equal(state.token);
      expect(state.cookie).to.equal('none');
    });

    it('T3: a live session with nothing to change writes no cookie at open', async () => {
      const fx = fixture();
      const id = await seedSession(fx);
      const { request } = await open(fx, await cookieHeaderOf(fx, id), { cookiesAtOpen: true });
      expect(request.written).to.deep.equal([]);
    });
  });

  it('C5: without cookiesAtOpen (Koa) the open writes no cookie; the action waits for the commit', async () => {
    const fx = fixture();
    const { state, request } = await open(fx, 'sw.sid.active=1');
    expect(request.written).to.deep.equal([]);
    expect(state.cookie).to.equal('clear');
  });
});
