import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { expect } from 'chai';
import { createSessionEngine } from '../../src/engine.js';
import { resolveLogoutOptions } from '../../src/logout.js';
import { MemoryStore } from '../../src/memory-store.js';
import { logoutWithoutSession, writeLogoutReply } from '../../src/node/logout.js';
import { parseSetCookie } from '../support/set-cookie.js';

/** A logout route that finds no session of its own (SPEC L6): 2xx, the cookies it knows cleared, "not revoked". */

function exchange(method: string, headers: Record<string, string>): { req: IncomingMessage; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.headers = headers;
  return { req, res: new ServerResponse(req) };
}

function setCookiesOf(res: ServerResponse): string[] {
  const value = res.getHeader('set-cookie');
  return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
}

describe('node: logoutWithoutSession', () => {
  const store = new MemoryStore();
  before(() => {
    // An engine of this process with its own cookie names: its cookies are among those cleared.
    createSessionEngine({ secrets: [randomBytes(48).toString('base64url')], store, env: {}, cookie: { name: 'l6.sid' } });
  });
  after(() => store.close());

  const cases: Array<{ name: string; headers: Record<string, string>; status: number; json: boolean }> = [
    { name: 'an API client (no content type)', headers: {}, status: 200, json: true },
    { name: 'a JSON client', headers: { 'content-type': 'application/json', accept: 'application/json' }, status: 200, json: true },
    { name: 'an HTML form post', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, status: 303, json: false },
  ];
  for (const { name, headers, status, json } of cases) {
    it(`L6, L2, L3: ${name} gets ${status}, both cookies of every known configuration cleared`, () => {
      const { req, res } = exchange('POST', headers);
      const reply = logoutWithoutSession(req, res, false, resolveLogoutOptions({ redirectTo: '/bye' }));
      expect(reply.status).to.equal(status);
      if (json) expect(JSON.parse(reply.body)).to.deep.equal({ loggedOut: true, revoked: false, errors: ['ERR_SESSION_CONFIG'] });
      else expect(reply.headers['location']).to.equal('/bye');
      const cookies = setCookiesOf(res).map(parseSetCookie);
      expect(cookies.map((cookie) => cookie.name)).to.include.members(['l6.sid', 'l6.sid.active']);
      for (const cookie of cookies) expect(cookie.attributes.get('max-age'), cookie.name).to.equal('0');
    });
  }

  for (const method of ['GET', 'HEAD', 'PUT']) {
    it(`L3, L6: a ${method} gets 405 with Allow: POST and clears no cookie, as with a session`, () => {
      const { req, res } = exchange(method, {});
      const reply = logoutWithoutSession(req, res, false, resolveLogoutOptions());
      expect(reply.status).to.equal(405);
      expect(reply.headers['allow']).to.equal('POST');
      expect(setCookiesOf(res)).to.deep.equal([]);
    });
  }

  for (const secure of [false, true]) {
    it(`L1, C4: on a${secure ? ' secure' : ' plain'} request the clearing cookies are ${secure ? '' : 'not '}Secure, as they were set`, () => {
      const { req, res } = exchange('POST', {});
      logoutWithoutSession(req, res, secure, resolveLogoutOptions());
      const ours = setCookiesOf(res).map(parseSetCookie).filter((cookie) => cookie.name.startsWith('l6.sid'));
      expect(ours).to.have.length(2);
      for (const cookie of ours) expect(cookie.attributes.get('secure') === true, cookie.name).to.equal(secure);
    });
  }

  it('L6: another middleware\'s Set-Cookie is kept; an earlier one of ours is replaced by the clearing one', () => {
    const { req, res } = exchange('POST', {});
    res.setHeader('set-cookie', ['theme=dark; Path=/', 'l6.sid=stale; Path=/']);
    logoutWithoutSession(req, res, false, resolveLogoutOptions());
    const cookies = setCookiesOf(res);
    expect(cookies[0]).to.equal('theme=dark; Path=/');
    expect(cookies.filter((cookie) => cookie.startsWith('l6.sid='))).to.have.length(1);
    expect(cookies.some((cookie) => cookie.startsWith('l6.sid=stale'))).to.equal(false);
  });

  it('L3: writeLogoutReply writes status, headers and body', () => {
    const { req, res } = exchange('POST', {});
    const ended: unknown[] = [];
    res.end = ((body: unknown) => {
      ended.push(body);
      return res;
    }) as ServerResponse['end'];
    writeLogoutReply(res, logoutWithoutSession(req, res, false, resolveLogoutOptions()));
    expect(res.statusCode).to.equal(200);
    expect(res.getHeader('cache-control')).to.equal('no-store');
    expect(JSON.parse(String(ended[0]))).to.include({ loggedOut: true, revoked: false });
  });
});
