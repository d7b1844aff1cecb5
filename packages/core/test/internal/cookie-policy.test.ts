import { expect } from 'chai';
import { MAX_COOKIE_AGE_SECONDS, renderCookies } from '../../src/internal/cookie-policy.js';
import type { ResolvedOptions } from '../../src/options.js';
import { attributesWithout, parseSetCookie, type ParsedSetCookie } from '../support/set-cookie.js';

type CookiePolicy = ResolvedOptions['cookie'];

const DEFAULTS: CookiePolicy = Object.freeze({
  name: 'sw.sid',
  indicator: 'sw.sid.active',
  expiry: 'browser-session',
  sameSite: 'lax',
  path: '/',
  domain: undefined,
  secure: 'auto',
  needsSecure: false,
});
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const TOKEN = 'aaa.bbb.ccc';

/** Renders with the session's expiry mode as the option's unless `live.expiry` gives its own (SPEC P1). */
function render(policy: Partial<CookiePolicy>, live: { token: string; expiresAt: number; expiry?: CookiePolicy['expiry'] } | null, secure = true): ParsedSetCookie[] {
  const cookie = { ...DEFAULTS, ...policy };
  return renderCookies(cookie, live === null ? null : { expiry: cookie.expiry, ...live }, secure, NOW).map(parseSetCookie);
}

function pair(cookies: ParsedSetCookie[]): [ParsedSetCookie, ParsedSetCookie] {
  expect(cookies).to.have.length(2);
  const [session, indicator] = cookies;
  if (session === undefined || indicator === undefined) throw new Error('expected two cookies');
  return [session, indicator];
}

describe('internal/cookie-policy: renderCookies', () => {
  it("P1, C1: a session's own expiry mode wins over the option's, for both cookies alike", () => {
    const remembered = pair(render({ expiry: 'browser-session' }, { token: TOKEN, expiresAt: NOW + 3_600_000, expiry: 'persistent' }));
    for (const cookie of remembered) expect(cookie.attributes.get('max-age'), cookie.name).to.equal('3600');
    const forgotten = pair(render({ expiry: 'persistent' }, { token: TOKEN, expiresAt: NOW + 3_600_000, expiry: 'browser-session' }));
    for (const cookie of forgotten) {
      expect(cookie.attributes.has('max-age'), cookie.name).to.equal(false);
      expect(cookie.attributes.has('expires'), cookie.name).to.equal(false);
    }
  });

  it('C1: writes the HttpOnly session cookie and the readable indicator, identical but for HttpOnly', () => {
    const [session, indicator] = pair(render({}, { token: TOKEN, expiresAt: NOW + 3_600_000 }));
    expect(session.name).to.equal('sw.sid');
    expect(session.value).to.equal(TOKEN);
    expect(session.attributes.get('httponly')).to.equal(true);
    expect(indicator.name).to.equal('sw.sid.active');
    expect(indicator.value).to.equal('1');
    expect(indicator.attributes.has('httponly')).to.equal(false);
    expect(attributesWithout(indicator)).to.deep.equal(attributesWithout(session, 'httponly'));
  });

  it('C4: defaults render SameSite=Lax, Path=/ and no Domain', () => {
    for (const cookie of pair(render({}, { token: TOKEN, expiresAt: NOW + 1_000 }))) {
      expect(cookie.attributes.get('samesite')).to.equal('Lax');
      expect(cookie.attributes.get('path')).to.equal('/');
      expect(cookie.attributes.has('domain')).to.equal(false);
    }
  });

  it("C4: secure 'auto' sets Secure on both cookies exactly when the request is HTTPS", () => {
    for (const cookie of pair(render({}, { token: TOKEN, expiresAt: NOW + 1_000 }, true))) {
      expect(cookie.attributes.get('secure')).to.equal(true);
    }
    for (const cookie of pair(render({}, { token: TOKEN, expiresAt: NOW + 1_000 }, false))) {
      expect(cookie.attributes.has('secure')).to.equal(false);
    }
  });

  it('C4: secure true and false override the request scheme', () => {
    for (const cookie of pair(render({ secure: true }, { token: TOKEN, expiresAt: NOW + 1_000 }, false))) {
      expect(cookie.attributes.get('secure')).to.equal(true);
    }
    for (const cookie of pair(render({ secure: false }, { token: TOKEN, expiresAt: NOW + 1_000 }, true))) {
      expect(cookie.attributes.has('secure')).to.equal(false);
    }
  });

  it('C1: a configured Domain, Path and SameSite are written on both cookies', () => {
    const [session, indicator] = pair(render(
      { domain: 'example.com', path: '/app', sameSite: 'strict' },
      { token: TOKEN, expiresAt: NOW + 1_000 },
    ));
    for (const cookie of [session, indicator]) {
      expect(cookie.attributes.get('domain')).to.equal('example.com');
      expect(cookie.attributes.get('path')).to.equal('/app');
      expect(cookie.attributes.get('samesite')).to.equal('Strict');
    }
    expect(attributesWithout(indicator)).to.deep.equal(attributesWithout(session, 'httponly'));
  });

  it('C2: browser-session cookies carry neither Max-Age nor Expires', () => {
    for (const cookie of pair(render({ expiry: 'browser-session' }, { token: TOKEN, expiresAt: NOW + 3_600_000 }))) {
      expect(cookie.attributes.has('max-age')).to.equal(false);
      expect(cookie.attributes.has('expires')).to.equal(false);
    }
  });

  it('C1, C2: persistent cookies both get Max-Age = floor((expiresAt - now) / 1000) and the matching Expires', () => {
    const [session, indicator] = pair(render({ expiry: 'persistent' }, { token: TOKEN, expiresAt: NOW + 3_600_999 }));
    for (const cookie of [session, indicator]) {
      expect(cookie.attributes.get('max-age')).to.equal('3600');
      expect(cookie.attributes.get('expires')).to.equal(new Date(NOW + 3_600_000).toUTCString());
    }
    expect(attributesWithout(indicator)).to.deep.equal(attributesWithout(session, 'httponly'));
  });

  it('C2: a persistent Max-Age is capped at 400 days', () => {
    expect(MAX_COOKIE_AGE_SECONDS).to.equal(34_560_000);
    for (const cookie of pair(render({ expiry: 'persistent' }, { token: TOKEN, expiresAt: NOW + 500 * 86_400_000 }))) {
      expect(cookie.attributes.get('max-age')).to.equal('34560000');
      expect(cookie.attributes.get('expires')).to.equal(new Date(NOW + 400 * 86_400_000).toUTCString());
    }
  });

  it('C2, C3: a deadline already passed renders Max-Age=0, never a negative age', () => {
    for (const cookie of pair(render({ expiry: 'persistent' }, { token: TOKEN, expiresAt: NOW - 5_000 }))) {
      expect(cookie.attributes.get('max-age')).to.equal('0');
    }
  });

  for (const expiry of ['browser-session', 'persistent'] as const) {
    it(`C1, L1: clearing (${expiry}) gives both cookies Max-Age=0, an epoch Expires, empty values and the attributes they were set with`, () => {
      const policy = { expiry, domain: 'example.com', path: '/app', sameSite: 'none' } as const;
      const [setSession, setIndicator] = pair(render(policy, { token: TOKEN, expiresAt: NOW + 60_000 }));
      const [session, indicator] = pair(render(policy, null));
      for (const cookie of [session, indicator]) {
        expect(cookie.value).to.equal('');
        expect(cookie.attributes.get('max-age')).to.equal('0');
        expect(cookie.attributes.get('expires')).to.equal(new Date(0).toUTCString());
      }
      expect(session.name).to.equal('sw.sid');
      expect(indicator.name).to.equal('sw.sid.active');
      expect(attributesWithout(session, 'max-age', 'expires')).to.deep.equal(attributesWithout(setSession, 'max-age', 'expires'));
      expect(attributesWithout(indicator, 'max-age', 'expires')).to.deep.equal(attributesWithout(setIndicator, 'max-age', 'expires'));
    });
  }

  it('C1: with the indicator disabled only the session cookie is written, when set and when cleared', () => {
    expect(render({ indicator: false }, { token: TOKEN, expiresAt: NOW + 1_000 }).map((c) => c.name)).to.deep.equal(['sw.sid']);
    expect(render({ indicator: false }, null).map((c) => c.name)).to.deep.equal(['sw.sid']);
  });
});
