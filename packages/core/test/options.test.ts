import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionConfigError, type SessionError } from '../src/errors.js';
import { MemoryStore } from '../src/memory-store.js';
import { resolveOptions, type SessionOptions } from '../src/options.js';
import type { Store } from '../src/store.js';

const SECRET = randomBytes(48).toString('base64url');

/** A store that is never called: these tests only resolve options. */
const STORE: Store = {
  load: async () => null,
  peek: async () => null,
  create: async () => 'created',
  update: async () => 'updated',
  replace: async () => 'created',
  destroy: async () => undefined,
  userVersion: async () => 0,
  markUserChanged: async () => undefined,
  listUserSessions: async () => [],
  revokeUserSessions: async () => 0,
};

/** Quiet, explicit options so no test depends on process.env or prints. */
function withBase(options: Record<string, unknown>): SessionOptions {
  const logged: string[] = [];
  return {
    secrets: [SECRET],
    store: STORE,
    env: { NODE_ENV: 'test' },
    logger: { warn: (message) => logged.push(message), error: (message) => logged.push(message) },
    ...options,
  } as SessionOptions;
}

describe('options: resolveOptions', () => {
  it('C2, C4, T2, F1, K5, T10: defaults are Lax, Path=/, no Domain, browser-session, 12h idle, 7d absolute, 2s store bound, 64 KiB sessions', () => {
    const resolved = resolveOptions(withBase({}));
    expect(resolved.cookie).to.deep.equal({
      name: 'sw.sid',
      indicator: 'sw.sid.active',
      expiry: 'browser-session',
      sameSite: 'lax',
      path: '/',
      domain: undefined,
      secure: 'auto',
      needsSecure: false,
    });
    expect(resolved).to.include({
      idleTimeoutMs: 12 * 3_600_000,
      absoluteTimeoutMs: 7 * 86_400_000,
      storeTimeoutMs: 2_000,
      verifyCacheSize: 10_000,
      maxSessionBytes: 65_536,
      production: false,
      store: STORE,
    });
    expect(resolved.secrets).to.deep.equal([SECRET]);
  });

  it('C4: the resolved options and their cookie part are frozen', () => {
    const resolved = resolveOptions(withBase({}));
    expect(Object.isFrozen(resolved)).to.equal(true);
    expect(Object.isFrozen(resolved.cookie)).to.equal(true);
  });

  it('T9: without a store option the embedded MemoryStore is used', () => {
    const resolved = resolveOptions(withBase({ store: undefined }));
    expect(resolved.store).to.be.instanceOf(MemoryStore);
    (resolved.store as MemoryStore).close();
  });

  it('E: durations are converted to milliseconds once', () => {
    const resolved = resolveOptions(withBase({ idleTimeout: '15m', absoluteTimeout: '1d', storeTimeout: '500' }));
    expect(resolved).to.include({ idleTimeoutMs: 900_000, absoluteTimeoutMs: 86_400_000, storeTimeoutMs: 500 });
  });

  it('K2, E: secrets come from env.SESSION_SECRETS, comma-separated, first signs', () => {
    const other = randomBytes(48).toString('base64url');
    const resolved = resolveOptions(withBase({ secrets: undefined, env: { NODE_ENV: 'production', SESSION_SECRETS: `${SECRET},${other}` } }));
    expect(resolved.secrets).to.deep.equal([SECRET, other]);
    expect(resolved.production).to.equal(true);
  });

  it('K3: in production a missing secret makes resolveOptions throw naming secrets and SESSION_SECRETS', () => {
    expect(() => resolveOptions(withBase({ secrets: undefined, env: { NODE_ENV: 'production' } })))
      .to.throw(SessionConfigError, /option secrets is missing.*SESSION_SECRETS/);
  });

  it("K3: in production a placeholder secret makes resolveOptions throw naming secrets and SESSION_SECRETS", () => {
    expect(() => resolveOptions(withBase({ secrets: 'changeme', env: { NODE_ENV: 'production' } })))
      .to.throw(SessionConfigError, /option secrets is invalid.*SESSION_SECRETS/);
  });

  describe('NODE_ENV decides whether secrets are required (K3 contract v2: fail closed)', () => {
    for (const mode of [undefined, 'production', 'prod', 'staging', 'Production', 'dev', '']) {
      const label = mode === undefined ? 'unset' : JSON.stringify(mode);
      it(`K3: NODE_ENV ${label} is production: no secret throws naming secrets, SESSION_SECRETS and NODE_ENV`, () => {
        const env = mode === undefined ? {} : { NODE_ENV: mode };
        expect(() => resolveOptions(withBase({ secrets: undefined, env })))
          .to.throw(SessionConfigError, /^option secrets is missing: required unless NODE_ENV is development or test \(NODE_ENV is (unset|".*"), treated as production\);.*SESSION_SECRETS/);
      });
      it(`K3: NODE_ENV ${label} is production: a short secret throws naming secrets and SESSION_SECRETS`, () => {
        const env = mode === undefined ? {} : { NODE_ENV: mode };
        expect(() => resolveOptions(withBase({ secrets: 'too-short-but-random-9f3a', env })))
          .to.throw(SessionConfigError, /^option secrets is invalid: secret #1 is shorter than 32 bytes;.*SESSION_SECRETS.*treated as production/);
      });
    }
    for (const mode of ['development', 'test']) {
      it(`K3: NODE_ENV ${mode}: no secret gives one random secret per process and production is false`, () => {
        const resolved = resolveOptions(withBase({ secrets: undefined, env: { NODE_ENV: mode } }));
        expect(resolved.production).to.equal(false);
        expect(resolved.secrets).to.have.length(1);
      });
    }
    it('K3: the default env is process.env, read when the factory runs', () => {
      expect(resolveOptions(withBase({ env: undefined })).production).to.equal(!['development', 'test'].includes(process.env['NODE_ENV'] ?? ''));
    });
  });

  it('K3: a bad option throws a SessionConfigError, a SessionError with code ERR_SESSION_CONFIG', () => {
    let caught: SessionError | undefined;
    try {
      resolveOptions(withBase({ idleTimeout: 'soon' }));
    } catch (error) {
      caught = error as SessionError;
    }
    expect(caught).to.be.instanceOf(SessionConfigError);
    expect(caught).to.include({ code: 'ERR_SESSION_CONFIG', name: 'SessionConfigError' });
  });

  describe('unknown option names (O1)', () => {
    const mistakes: Array<[string, Record<string, unknown>, string]> = [
      // Issue 13's list: express-session names, and the typo that gave 12 h instead of 15 min.
      ['resave', { resave: false }, 'option resave is unknown: `resave` → nothing to set: only changed keys are written'],
      ['saveUninitialized', { saveUninitialized: false }, 'option saveUninitialized is unknown: `saveUninitialized` → nothing to set'],
      ['rolling', { rolling: true }, "option rolling is unknown: `rolling` → `cookie: { expiry: 'persistent' }` (the idle deadline slides on every request)"],
      ['cookie.maxAge', { cookie: { maxAge: 900_000 } }, 'option cookie.maxAge is unknown: `cookie.maxAge` → `idleTimeout` / `absoluteTimeout`'],
      ['genid', { genid: () => 'id' }, 'option genid is unknown: `genid` → nothing to set: session ids are 256 random bits'],
      ['the typo idleTimout', { idleTimout: '15m' }, 'option idleTimout is unknown: did you mean `idleTimeout`?'],
      // More express-session names.
      ['secret', { secret: SECRET }, 'option secret is unknown: `secret` → `secrets`'],
      ['name', { name: 'connect.sid' }, "option name is unknown: `name` → `cookie: { name: '…' }`"],
      ['proxy', { proxy: true }, "option proxy is unknown: `proxy` → the framework's own setting: Express `app.set('trust proxy', …)`, Koa `app.proxy = true`"],
      ['unset', { unset: 'destroy' }, 'option unset is unknown: `unset` → `req.session = null`'],
      ['cookie.expires', { cookie: { expires: new Date() } }, 'option cookie.expires is unknown: `cookie.expires` → `absoluteTimeout`'],
      ['cookie.httpOnly', { cookie: { httpOnly: false } }, 'option cookie.httpOnly is unknown: `cookie.httpOnly` → nothing to set: the session cookie is always HttpOnly'],
      // koa-session names.
      ['maxAge', { maxAge: 86_400_000 }, 'option maxAge is unknown: `maxAge` → `idleTimeout` / `absoluteTimeout`'],
      ['key', { key: 'koa.sess' }, "option key is unknown: `key` → `cookie: { name: '…' }`"],
      ['renew', { renew: true }, 'option renew is unknown: `renew` → nothing to set: the idle deadline slides on every request'],
      ['signed', { signed: true }, 'option signed is unknown: `signed` → nothing to set: the session cookie is always signed'],
      ['overwrite', { overwrite: true }, 'option overwrite is unknown: `overwrite` → nothing to set'],
      ['encode', { encode: String }, 'option encode is unknown: `encode` → nothing to set: the cookie holds only a signed id'],
      ['decode', { decode: String }, 'option decode is unknown: `decode` → nothing to set: the cookie holds only a signed id'],
      ['autoCommit', { autoCommit: false }, 'option autoCommit is unknown: `autoCommit` → nothing to set'],
      ['externalKey', { externalKey: {} }, 'option externalKey is unknown: `externalKey` → not supported'],
      ['ContextStore', { ContextStore: class {} }, 'option ContextStore is unknown: `ContextStore` → `store`'],
      ['valid', { valid: () => true }, 'option valid is unknown: `valid` → `loadUser`'],
      ['beforeSave', { beforeSave: () => undefined }, 'option beforeSave is unknown: `beforeSave` → not supported'],
      ['a top-level sameSite (koa-session)', { sameSite: 'strict' }, "option sameSite is unknown: `sameSite` → `cookie: { sameSite: 'lax' | 'strict' | 'none' }`"],
      ['a top-level secure (koa-session)', { secure: true }, 'option secure is unknown: `secure` → `cookie: {'],
      // Typos of our names, at the top and in cookie.
      ['the typo absolutTimeout', { absolutTimeout: '1d' }, 'option absolutTimeout is unknown: did you mean `absoluteTimeout`?'],
      ['the typo storeTimeOut (case)', { storeTimeOut: '1s' }, 'option storeTimeOut is unknown: did you mean `storeTimeout`?'],
      ['the typo secret (singular) gets the hint, not only the guess', { secret: 'x' }, 'option secret is unknown: `secret` → `secrets`'],
      ['the typo onerror', { onerror: () => undefined }, 'option onerror is unknown: did you mean `onError`?'],
      ['the typo cookie.sameSit', { cookie: { sameSit: 'lax' } }, 'option cookie.sameSit is unknown: did you mean `cookie.sameSite`?'],
      ['the typo cookie.expirey', { cookie: { expirey: 'persistent' } }, 'option cookie.expirey is unknown: did you mean `cookie.expiry`?'],
      ['the typo cookie.domian', { cookie: { domian: 'example.com' } }, 'option cookie.domian is unknown: did you mean `cookie.domain`?'],
      // Nothing near: the list of known names.
      ['an unrelated name', { colour: 'red' }, 'option colour is unknown: expected one of secrets, store, idleTimeout'],
      ['an unrelated cookie name', { cookie: { partitioned: true } }, 'option cookie.partitioned is unknown: expected one of name, indicator, expiry, sameSite, path, domain, secure'],
      ['an unknown name whose value is undefined', { idleTimout: undefined }, 'option idleTimout is unknown: did you mean `idleTimeout`?'],
    ];
    for (const [what, options, message] of mistakes) {
      it(`O1: rejects ${what} with a SessionConfigError naming the path`, () => {
        expect(() => resolveOptions(withBase(options))).to.throw(SessionConfigError, message);
      });
    }

    it('O1: the typo idleTimout is refused rather than silently giving 12 h', () => {
      expect(() => resolveOptions(withBase({ idleTimout: '15m' }))).to.throw(SessionConfigError, /^option idleTimout is unknown: did you mean `idleTimeout`\?$/);
      expect(resolveOptions(withBase({ idleTimeout: '15m' })).idleTimeoutMs).to.equal(900_000);
    });

    it('O1: every documented option name is accepted, at the top and in cookie', () => {
      const everything = withBase({
        idleTimeout: '1h', absoluteTimeout: '1d', storeTimeout: '1s', verifyCacheSize: 10, maxSessionBytes: 1024,
        maxSessionsPerUser: 3, onLimit: 'refuse',
        onError: () => undefined, loadUser: () => null,
        cookie: { name: 'a', indicator: 'b', expiry: 'persistent', sameSite: 'strict', path: '/', domain: 'example.com', secure: 'auto' },
      });
      expect(() => resolveOptions(everything)).not.to.throw();
    });
  });

  describe('maxSessionBytes (T10)', () => {
    for (const maxSessionBytes of [1, 1_024, 65_536, 16 * 1024 * 1024, Number.MAX_SAFE_INTEGER]) {
      it(`T10: accepts maxSessionBytes ${maxSessionBytes}`, () => {
        expect(resolveOptions(withBase({ maxSessionBytes })).maxSessionBytes).to.equal(maxSessionBytes);
      });
    }
    const invalid: unknown[] = [0, -1, 1024.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '65536', '64kb', true];
    for (const maxSessionBytes of invalid) {
      it(`T10: rejects maxSessionBytes ${typeof maxSessionBytes === 'string' ? JSON.stringify(maxSessionBytes) : String(maxSessionBytes)} (${typeof maxSessionBytes}) naming the option`, () => {
        expect(() => resolveOptions(withBase({ maxSessionBytes })))
          .to.throw(SessionConfigError, /^option maxSessionBytes is invalid: expected a positive integer$/);
      });
    }
  });

  describe('maxSessionsPerUser and onLimit (P4)', () => {
    it('P4, O1: by default there is no cap, and onLimit is end-least-recent', () => {
      expect(resolveOptions(withBase({}))).to.include({ maxSessionsPerUser: undefined, onLimit: 'end-least-recent' });
    });
    const valid: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ maxSessionsPerUser: 1 }, { maxSessionsPerUser: 1, onLimit: 'end-least-recent' }],
      [{ maxSessionsPerUser: 5, onLimit: 'refuse' }, { maxSessionsPerUser: 5, onLimit: 'refuse' }],
      [{ maxSessionsPerUser: 3, onLimit: 'end-least-recent' }, { maxSessionsPerUser: 3, onLimit: 'end-least-recent' }],
      [{ maxSessionsPerUser: Number.MAX_SAFE_INTEGER, onLimit: undefined }, { maxSessionsPerUser: Number.MAX_SAFE_INTEGER, onLimit: 'end-least-recent' }],
      [{ maxSessionsPerUser: undefined }, { maxSessionsPerUser: undefined, onLimit: 'end-least-recent' }],
    ];
    for (const [options, expected] of valid) {
      it(`P4: accepts maxSessionsPerUser ${String(options['maxSessionsPerUser'])}, onLimit ${String(options['onLimit'])}`, () => {
        expect(resolveOptions(withBase(options))).to.include(expected);
      });
    }
    const label = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));
    for (const maxSessionsPerUser of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '3', null, true]) {
      it(`P4, O1: rejects maxSessionsPerUser ${label(maxSessionsPerUser)} (${typeof maxSessionsPerUser}) naming the option`, () => {
        expect(() => resolveOptions(withBase({ maxSessionsPerUser })))
          .to.throw(SessionConfigError, /^option maxSessionsPerUser is invalid: expected a positive integer \(or undefined for no cap\)$/);
      });
    }
    for (const onLimit of ['evict', 'Refuse', null, 1]) {
      it(`P4, O1: rejects onLimit ${label(onLimit)} naming the option`, () => {
        expect(() => resolveOptions(withBase({ maxSessionsPerUser: 2, onLimit })))
          .to.throw(SessionConfigError, /^option onLimit is invalid: expected 'end-least-recent' or 'refuse'$/);
      });
    }
    it('P4, O1: rejects onLimit without maxSessionsPerUser, naming onLimit', () => {
      expect(() => resolveOptions(withBase({ onLimit: 'refuse' })))
        .to.throw(SessionConfigError, /^option onLimit is invalid: it needs maxSessionsPerUser, the cap it acts on$/);
    });
  });

  describe('valid cookie options (C1, C4)', () => {
    const valid: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['a custom name derives the indicator name', { name: 'app.sid' }, { name: 'app.sid', indicator: 'app.sid.active' }],
      ['an explicit indicator name', { indicator: 'logged_in' }, { indicator: 'logged_in' }],
      ['no indicator', { indicator: false }, { indicator: false }],
      ['persistent expiry', { expiry: 'persistent' }, { expiry: 'persistent' }],
      ['SameSite=Strict', { sameSite: 'strict' }, { sameSite: 'strict' }],
      ['SameSite=None with Secure', { sameSite: 'none', secure: true }, { sameSite: 'none', secure: true }],
      ["SameSite=None with secure 'auto'", { sameSite: 'none' }, { sameSite: 'none', secure: 'auto' }],
      ['a path and a domain', { path: '/app', domain: 'example.com' }, { path: '/app', domain: 'example.com' }],
      ['secure false', { secure: false }, { secure: false }],
      ["a __Host- name: secure 'auto' becomes true", { name: '__Host-sid' }, { name: '__Host-sid', indicator: '__Host-sid.active', secure: true, path: '/', domain: undefined }],
      ['a __Host- name with secure true', { name: '__Host-sid', secure: true }, { secure: true }],
      ["a __Secure- name: secure 'auto' becomes true", { name: '__Secure-sid', path: '/app' }, { secure: true, path: '/app' }],
    ];
    for (const [what, cookie, expected] of valid) {
      it(`C4: accepts ${what}`, () => {
        expect(resolveOptions(withBase({ cookie })).cookie).to.deep.include(expected);
      });
    }
  });

  describe('cookie rules a browser would silently break are refused at startup (O3)', () => {
    const refused: Array<[string, Record<string, unknown>, string]> = [
      ['__Host- with secure false', { name: '__Host-sid', secure: false }, 'option cookie.secure is invalid: __Host-sid requires Secure'],
      ['__Host- with a Domain', { name: '__Host-sid', domain: 'example.com' }, 'option cookie.domain is invalid: __Host-sid forbids Domain'],
      ['__Host- with Path=/app', { name: '__Host-sid', path: '/app' }, 'option cookie.path is invalid: __Host-sid requires Path=/'],
      ['a __Host- indicator with secure false', { indicator: '__Host-hint', secure: false }, 'option cookie.secure is invalid: __Host-hint requires Secure'],
      ['a __Host- indicator with a Domain', { indicator: '__Host-hint', domain: 'example.com' }, 'option cookie.domain is invalid: __Host-hint forbids Domain'],
      ['__Secure- with secure false', { name: '__Secure-sid', secure: false }, 'option cookie.secure is invalid: __Secure-sid requires Secure'],
      ['a __Secure- indicator with secure false', { indicator: '__Secure-hint', secure: false }, 'option cookie.secure is invalid: __Secure-hint requires Secure'],
      ['SameSite=None with secure false', { sameSite: 'none', secure: false }, 'option cookie.secure is invalid: SameSite=None requires Secure'],
    ];
    for (const [what, cookie, message] of refused) {
      it(`O3: refuses ${what}`, () => {
        expect(() => resolveOptions(withBase({ cookie }))).to.throw(SessionConfigError, message);
      });
    }
    const accepted: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ["__Host- with secure 'auto' (becomes true)", { name: '__Host-sid' }, { secure: true, needsSecure: true }],
      ['__Secure- with a Domain and a Path', { name: '__Secure-sid', domain: 'example.com', path: '/app' }, { secure: true, needsSecure: true }],
      ["a __Host- indicator makes both cookies Secure (C1)", { indicator: '__Host-hint' }, { secure: true, needsSecure: true }],
      ["SameSite=None with secure 'auto' (warned on plain HTTP)", { sameSite: 'none' }, { secure: 'auto', needsSecure: true }],
      ['secure true', { secure: true }, { secure: true, needsSecure: true }],
      ["the defaults need no Secure", {}, { secure: 'auto', needsSecure: false }],
    ];
    for (const [what, cookie, expected] of accepted) {
      it(`O3: accepts ${what}`, () => {
        expect(resolveOptions(withBase({ cookie })).cookie).to.deep.include(expected);
      });
    }
  });

  describe('invalid options throw a SessionConfigError naming the option', () => {
    const invalid: Array<[string, Record<string, unknown>, string]> = [
      ['cookie that is not an object', { cookie: 'sw.sid' }, 'option cookie is invalid'],
      ['cookie null', { cookie: null }, 'option cookie is invalid'],
      ['trustProxy, removed in contract v2 (the framework decides HTTPS)', { trustProxy: true }, "option trustProxy was removed: whether a request is HTTPS is the framework's answer"],
      ['a storeTimeout beyond what timers honour', { storeTimeout: '30d' }, 'option storeTimeout is invalid'],
      ['an empty cookie name', { cookie: { name: '' } }, 'option cookie.name is invalid'],
      ['a numeric cookie name', { cookie: { name: 42 } }, 'option cookie.name is invalid'],
      ['a cookie name with a space', { cookie: { name: 'my sid' } }, 'option cookie.name is invalid'],
      ['a cookie name with ;', { cookie: { name: 'a;b' } }, 'option cookie.name is invalid'],
      ['a cookie name with =', { cookie: { name: 'a=b' } }, 'option cookie.name is invalid'],
      ['an empty indicator name', { cookie: { indicator: '' } }, 'option cookie.indicator is invalid'],
      ['indicator true', { cookie: { indicator: true } }, 'option cookie.indicator is invalid'],
      ['an indicator name with a comma and space', { cookie: { indicator: 'a, b' } }, 'option cookie.indicator is invalid'],
      ['an indicator equal to the name', { cookie: { name: 'sid', indicator: 'sid' } }, 'option cookie.indicator is invalid'],
      ['an unknown expiry', { cookie: { expiry: 'forever' } }, 'option cookie.expiry is invalid'],
      ['expiry in another case', { cookie: { expiry: 'Persistent' } }, 'option cookie.expiry is invalid'],
      ['an unknown sameSite', { cookie: { sameSite: 'sometimes' } }, 'option cookie.sameSite is invalid'],
      ['sameSite in another case', { cookie: { sameSite: 'Lax' } }, 'option cookie.sameSite is invalid'],
      ['sameSite true', { cookie: { sameSite: true } }, 'option cookie.sameSite is invalid'],
      ['a relative path', { cookie: { path: 'app' } }, 'option cookie.path is invalid'],
      ['a path with ;', { cookie: { path: '/a;b' } }, 'option cookie.path is invalid'],
      ['a path with a space', { cookie: { path: '/a b' } }, 'option cookie.path is invalid'],
      ['a numeric path', { cookie: { path: 5 } }, 'option cookie.path is invalid'],
      ['an empty domain', { cookie: { domain: '' } }, 'option cookie.domain is invalid'],
      ['a domain with a space', { cookie: { domain: 'ex ample.com' } }, 'option cookie.domain is invalid'],
      ['a domain with ;', { cookie: { domain: 'example.com;x=1' } }, 'option cookie.domain is invalid'],
      ['a numeric domain', { cookie: { domain: 5 } }, 'option cookie.domain is invalid'],
      ["secure 'yes'", { cookie: { secure: 'yes' } }, 'option cookie.secure is invalid'],
      ['secure 1', { cookie: { secure: 1 } }, 'option cookie.secure is invalid'],
      ['SameSite=None without Secure', { cookie: { sameSite: 'none', secure: false } }, 'option cookie.secure is invalid: SameSite=None requires Secure'],
      ['a __Host- name with secure false', { cookie: { name: '__Host-sid', secure: false } }, 'option cookie.secure is invalid: __Host-sid requires Secure'],
      ['a __Host- name with a path other than /', { cookie: { name: '__Host-sid', path: '/app' } }, 'option cookie.path is invalid: __Host-sid requires Path=/'],
      ['a __Host- name with a domain', { cookie: { name: '__Host-sid', domain: 'example.com' } }, 'option cookie.domain is invalid: __Host-sid forbids Domain'],
      ['a __Host- indicator with a path other than /', { cookie: { indicator: '__Host-hint', path: '/app' } }, 'option cookie.path is invalid: __Host-hint requires Path=/'],
      ['a __Secure- name with secure false', { cookie: { name: '__Secure-sid', secure: false } }, 'option cookie.secure is invalid: __Secure-sid requires Secure'],
      ['a word idleTimeout', { idleTimeout: 'soon' }, 'option idleTimeout is invalid'],
      ['a zero idleTimeout', { idleTimeout: 0 }, 'option idleTimeout is invalid'],
      ['a negative absoluteTimeout', { absoluteTimeout: -1 }, 'option absoluteTimeout is invalid'],
      ['an absoluteTimeout in weeks', { absoluteTimeout: '2w' }, 'option absoluteTimeout is invalid'],
      ['a NaN storeTimeout', { storeTimeout: Number.NaN }, 'option storeTimeout is invalid'],
      ['an empty storeTimeout', { storeTimeout: '' }, 'option storeTimeout is invalid'],
      ['a negative verifyCacheSize', { verifyCacheSize: -1 }, 'option verifyCacheSize is invalid'],
      ['a fractional verifyCacheSize', { verifyCacheSize: 1.5 }, 'option verifyCacheSize is invalid'],
      ['a string verifyCacheSize', { verifyCacheSize: '100' }, 'option verifyCacheSize is invalid'],
      ['an infinite verifyCacheSize', { verifyCacheSize: Number.POSITIVE_INFINITY }, 'option verifyCacheSize is invalid'],
      ['onError that is not a function', { onError: 'log' }, 'option onError is invalid'],
      ['a store without methods', { store: {} }, 'option store is invalid: missing method load()'],
      ['a store without destroy', { store: { ...STORE, destroy: undefined } }, 'option store is invalid: missing method destroy()'],
      ['secrets of the wrong type', { secrets: 42 }, 'option secrets is invalid'],
    ];
    for (const [what, options, message] of invalid) {
      it(`C4, K3: rejects ${what} ('${message}')`, () => {
        expect(() => resolveOptions(withBase(options))).to.throw(SessionConfigError, message);
      });
    }

    for (const input of [null, 'sw.sid', 42]) {
      it(`K3: rejects options given as ${JSON.stringify(input)} ('options are invalid')`, () => {
        expect(() => resolveOptions(input as unknown as SessionOptions)).to.throw(SessionConfigError, 'options are invalid');
      });
    }
  });

  it('L2, F4: the default onError reports a failure through the logger with its operation, code and message', () => {
    const errors: string[] = [];
    const resolved = resolveOptions(withBase({ logger: { warn: () => undefined, error: (message: string) => errors.push(message) } }));
    resolved.onError(new SessionConfigError('option x is invalid'), { operation: 'logout' });
    expect(errors).to.deep.equal(['sessionware: logout failed (ERR_SESSION_CONFIG): option x is invalid']);
  });
});
