import { expect } from 'chai';
import { writeCookies } from '../../../src/internal/lifecycle/cookies.js';
import type { CookieAction } from '../../../src/internal/lifecycle/state.js';
import { FakeRequest, fixture, newState, type Fixture } from '../../support/lifecycle.js';
import { parseSetCookie } from '../../support/set-cookie.js';

/** A state with a live, signed session (or an anonymous one) and `pending` as its cookie action. */
async function stateWith(fx: Fixture, live: boolean, pending: CookieAction = 'none') {
  const request = new FakeRequest();
  const state = newState(fx, request);
  if (live) {
    state.id = 'A'.repeat(43);
    state.token = await fx.signer.sign(state.id);
    state.expiresAt = Date.now() + 3_600_000;
  }
  state.cookie = pending;
  return { state, request };
}

describe('lifecycle: writeCookies', () => {
  it('C1: issue writes the session cookie (the signed token, HttpOnly) and the indicator (1, readable) in one call', async () => {
    const fx = fixture();
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'issue');
    expect(request.written).to.have.length(1);
    const [session, indicator] = (request.written[0] ?? []).map(parseSetCookie);
    expect({ name: session?.name, value: session?.value, httpOnly: session?.attributes.get('httponly') }).to.deep.equal({ name: 'sw.sid', value: state.token, httpOnly: true });
    expect({ name: indicator?.name, value: indicator?.value, httpOnly: indicator?.attributes.has('httponly') }).to.deep.equal({ name: 'sw.sid.active', value: '1', httpOnly: false });
    expect(request.actions()).to.deep.equal(['issue']);
  });

  it('C2: issue of a persistent session writes Max-Age as the time left to its deadline', async () => {
    const fx = fixture({ cookie: { expiry: 'persistent' } });
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'issue');
    const maxAges = (request.written[0] ?? []).map((value) => Number(parseSetCookie(value).attributes.get('max-age')));
    expect(maxAges).to.have.length(2);
    for (const maxAge of maxAges) expect(maxAge).to.be.within(3_598, 3_600);
  });

  it('L1: clear writes both cookies with Max-Age=0 and empty values, for a live session too', async () => {
    const fx = fixture();
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'clear');
    const cookies = (request.written[0] ?? []).map(parseSetCookie);
    expect(cookies.map((cookie) => [cookie.name, cookie.value, cookie.attributes.get('max-age')])).to.deep.equal([
      ['sw.sid', '', '0'],
      ['sw.sid.active', '', '0'],
    ]);
  });

  it('T3: none writes nothing', async () => {
    const fx = fixture();
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'none');
    expect(request.written).to.deep.equal([]);
  });

  it('C3, C5: issue without a live session (no id) clears both cookies instead', async () => {
    const fx = fixture();
    const { state, request } = await stateWith(fx, false);
    writeCookies(state, 'issue');
    expect(request.actions()).to.deep.equal(['clear']);
  });

  for (const action of ['none', 'issue', 'clear'] as const) {
    it(`C1: writing ${action} forgets a pending action, so the cookies are not written twice`, async () => {
      const fx = fixture();
      const { state } = await stateWith(fx, true, action === 'none' ? 'issue' : 'clear');
      writeCookies(state, action);
      expect(state.cookie).to.equal('none');
    });
  }

  it('C4: the Secure attribute follows the request as it reads when the cookies are rendered, not when the state was made', async () => {
    const fx = fixture();
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'issue');
    request.secure = true;
    writeCookies(state, 'issue');
    const secure = request.written.map((values) => values.map((value) => parseSetCookie(value).attributes.has('secure')));
    expect(secure).to.deep.equal([[false, false], [true, true]]);
  });

  it('C1: with the indicator off, only the session cookie is written', async () => {
    const fx = fixture({ cookie: { indicator: false } });
    const { state, request } = await stateWith(fx, true);
    writeCookies(state, 'issue');
    writeCookies(state, 'clear');
    expect(request.written.map((values) => values.map((value) => parseSetCookie(value).name))).to.deep.equal([['sw.sid'], ['sw.sid']]);
  });
});

describe('lifecycle: writeCookies warns about a Secure-requiring cookie on plain HTTP (O3)', () => {
  /** A logger of its own per test: the warning is once per logger (console: once per process). */
  function recorder(): { warn(message: string): void; error(): void; messages: string[] } {
    const messages: string[] = [];
    return { messages, warn: (message) => messages.push(message), error: () => undefined };
  }

  const cases: Array<[string, Parameters<typeof fixture>[0], boolean, boolean, RegExp | null]> = [
    ['a __Host- name on plain HTTP', { cookie: { name: '__Host-sid' } }, false, true, /its name __Host-sid requires Secure/],
    ['a __Secure- name on plain HTTP', { cookie: { name: '__Secure-sid' } }, false, true, /its name __Secure-sid requires Secure/],
    ["SameSite=None with secure 'auto' on plain HTTP", { cookie: { sameSite: 'none' } }, false, true, /SameSite=None requires Secure/],
    ['secure: true on plain HTTP', { cookie: { secure: true } }, false, true, /option cookie.secure is true/],
    ['a __Host- name on HTTPS', { cookie: { name: '__Host-sid' } }, true, true, null],
    ['SameSite=None on HTTPS', { cookie: { sameSite: 'none' } }, true, true, null],
    ["the defaults (secure 'auto', Lax) on plain HTTP", {}, false, true, null],
    ['secure: false on plain HTTP', { cookie: { secure: false } }, false, true, null],
    ['a __Host- name clearing cookies on plain HTTP (nothing is lost)', { cookie: { name: '__Host-sid' } }, false, false, null],
  ];
  for (const [what, options, secure, live, expected] of cases) {
    it(`O3: ${what} ${expected === null ? 'gives no warning' : 'warns once, naming why and the fix'}`, async () => {
      const logger = recorder();
      const fx = fixture({ ...options, logger });
      for (let i = 0; i < 3; i += 1) {
        const { state, request } = await stateWith(fx, live);
        request.secure = secure;
        writeCookies(state, live ? 'issue' : 'clear');
        expect(request.written).to.have.length(1);
      }
      if (expected === null) {
        expect(logger.messages).to.deep.equal([]);
        return;
      }
      expect(logger.messages).to.have.length(1);
      expect(logger.messages[0]).to.match(expected)
        .and.include('browsers drop Secure cookies set over http://')
        .and.include("app.set('trust proxy'")
        .and.include('app.proxy = true')
        .and.include('HTTPS');
    });
  }
});
