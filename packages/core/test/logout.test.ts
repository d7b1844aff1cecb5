import { expect } from 'chai';
import { SessionConfigError } from '../src/errors.js';
import { logoutReply, methodNotAllowed, resolveLogoutOptions, type LogoutOptions, type LogoutRequest } from '../src/logout.js';

describe('logout: resolveLogoutOptions', () => {
  it('L3: redirectTo defaults to /, beforeLogout to none; the result is frozen', () => {
    const resolved = resolveLogoutOptions();
    expect(resolved).to.deep.equal({ redirectTo: '/', beforeLogout: undefined });
    expect(Object.isFrozen(resolved)).to.equal(true);
  });

  it('L2: a beforeLogout function is kept', () => {
    const beforeLogout = (): void => undefined;
    expect(resolveLogoutOptions({ beforeLogout }).beforeLogout).to.equal(beforeLogout);
  });

  const validTargets = ['/', '/login', '/signed-out?reason=logout#top', 'https://example.com/bye', 'http://localhost:3000/'];
  for (const redirectTo of validTargets) {
    it(`L3: accepts redirectTo ${JSON.stringify(redirectTo)}`, () => {
      expect(resolveLogoutOptions({ redirectTo }).redirectTo).to.equal(redirectTo);
    });
  }

  const invalid: Array<[string, unknown, string]> = [
    ['an empty redirectTo', { redirectTo: '' }, 'option redirectTo is invalid'],
    ['a relative redirectTo', { redirectTo: 'login' }, 'option redirectTo is invalid'],
    ['a protocol-relative redirectTo', { redirectTo: '//evil.example/' }, 'option redirectTo is invalid'],
    ['a javascript: redirectTo', { redirectTo: 'javascript:alert(1)' }, 'option redirectTo is invalid'],
    ['an ftp: redirectTo', { redirectTo: 'ftp://example.com/' }, 'option redirectTo is invalid'],
    ['an http URL with a space', { redirectTo: 'https://exa mple.com/' }, 'option redirectTo is invalid'],
    ['a path with CRLF (header injection)', { redirectTo: '/bye\r\nSet-Cookie: a=1' }, 'option redirectTo is invalid: use printable ASCII'],
    ['a path with non-ASCII characters Node refuses in a Location header', { redirectTo: '/ログアウト' }, 'option redirectTo is invalid'],
    ['a path with a NUL byte', { redirectTo: '/\u0000' }, 'option redirectTo is invalid'],
    ['a path with LF', { redirectTo: '/bye\nx' }, 'option redirectTo is invalid'],
    ['a numeric redirectTo', { redirectTo: 42 }, 'option redirectTo is invalid'],
    ['a beforeLogout that is not a function', { beforeLogout: 'hook' }, 'option beforeLogout is invalid'],
    ['options that are not an object', 'https://example.com/', 'options are invalid: expected an object'],
    ['the typo redirectTO', { redirectTO: '/' }, 'option redirectTO is unknown: did you mean `redirectTo`?'],
    ['the typo beforLogout', { beforLogout: () => undefined }, 'option beforLogout is unknown: did you mean `beforeLogout`?'],
    ['an unknown name', { successRedirect: '/' }, 'option successRedirect is unknown: expected one of redirectTo, beforeLogout'],
    ['a session option given to the logout', { cookie: { name: 'sid' } }, 'option cookie is unknown: expected one of redirectTo, beforeLogout'],
  ];
  it("O1: an adapter's own names are accepted when it passes them, and only then", () => {
    expect(resolveLogoutOptions({ path: '/bye' } as LogoutOptions, ['path', 'allPath']).redirectTo).to.equal('/');
    expect(() => resolveLogoutOptions({ path: '/bye' } as LogoutOptions)).to.throw(SessionConfigError, 'option path is unknown');
  });

  for (const [what, options, message] of invalid) {
    it(`L3, O1: rejects ${what} with a SessionConfigError naming the option`, () => {
      expect(() => resolveLogoutOptions(options as LogoutOptions)).to.throw(SessionConfigError, message);
    });
  }
});

describe('logout: logoutReply', () => {
  const options = resolveLogoutOptions({ redirectTo: '/signed-out' });
  const request = (contentType?: string, accept?: string): LogoutRequest => ({ method: 'POST', contentType, accept });

  const formPosts: Array<[string, LogoutRequest]> = [
    ['a urlencoded form post', request('application/x-www-form-urlencoded')],
    ['a urlencoded form post with charset, in upper case', request('Application/X-WWW-Form-Urlencoded; charset=UTF-8')],
    ['a multipart form post', request('multipart/form-data; boundary=----x')],
    ['a form post that also accepts JSON', request('application/x-www-form-urlencoded', 'application/json')],
    ['a bodyless post accepting text/html', request(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')],
  ];
  for (const [what, logoutRequest] of formPosts) {
    it(`L3: ${what} gets 303 See Other to redirectTo, not cached, with no body`, () => {
      expect(logoutReply(logoutRequest, options, true, [])).to.deep.equal({
        status: 303,
        headers: { location: '/signed-out', 'cache-control': 'no-store' },
        body: '',
      });
    });
  }

  const apiCalls: Array<[string, LogoutRequest]> = [
    ['a JSON post', request('application/json', 'application/json')],
    ['a post without headers', request()],
    ['a post accepting anything', request(undefined, '*/*')],
    ['a post accepting both text/html and application/json', request(undefined, 'text/html, application/json')],
    ['a text/plain post', request('text/plain')],
  ];
  for (const [what, logoutRequest] of apiCalls) {
    it(`L3: ${what} gets 200 JSON {loggedOut: true, revoked: true}, not cached`, () => {
      const reply = logoutReply(logoutRequest, options, true, []);
      expect(reply.status).to.equal(200);
      expect(reply.headers).to.deep.equal({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      expect(JSON.parse(reply.body)).to.deep.equal({ loggedOut: true, revoked: true });
    });
  }

  it('L2: when the server record was not revoked the JSON says so and lists the error codes, still 200', () => {
    const reply = logoutReply(request('application/json'), options, false, ['ERR_SESSION_HOOK', 'ERR_SESSION_STORE']);
    expect(reply.status).to.equal(200);
    expect(JSON.parse(reply.body)).to.deep.equal({
      loggedOut: true,
      revoked: false,
      errors: ['ERR_SESSION_HOOK', 'ERR_SESSION_STORE'],
    });
  });

  it('L2: a form post whose logout failed is still redirected with 303', () => {
    expect(logoutReply(request('application/x-www-form-urlencoded'), options, false, ['ERR_SESSION_STORE']).status).to.equal(303);
  });
});

describe('logout: methodNotAllowed', () => {
  it('L3: answers 405 with Allow: POST and a JSON error', () => {
    const reply = methodNotAllowed();
    expect(reply.status).to.equal(405);
    expect(reply.headers).to.include({ allow: 'POST', 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(reply.body)).to.deep.equal({ error: 'method_not_allowed' });
  });
});
