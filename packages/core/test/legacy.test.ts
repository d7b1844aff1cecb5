import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionConfigError } from '../src/errors.js';
import { fromExpressSession, fromKoaSession, type ExpressSessionStoreLike, type KoaSessionStoreLike } from '../src/legacy.js';
import { resolveOptions } from '../src/options.js';

const SECRET = randomBytes(48).toString('base64url');
const EXPRESS_STORE: ExpressSessionStoreLike = { get: (_sid, callback) => callback(null, null), destroy: (_sid, callback) => callback() };
const KOA_STORE: KoaSessionStoreLike = { get: async () => undefined, destroy: async () => undefined };
const BASE = { secrets: [SECRET], env: { NODE_ENV: 'test' } } as const;

describe('issue 16: migration — the readers and the migrateFrom option', () => {
  const badReaders: [string, () => unknown, string][] = [
    ['express-session without a secret', () => fromExpressSession({ store: EXPRESS_STORE } as never), 'option migrateFrom.secret is invalid'],
    ['express-session with an empty secret list', () => fromExpressSession({ secret: [], store: EXPRESS_STORE }), 'option migrateFrom.secret is invalid'],
    ['express-session with a store missing destroy()', () => fromExpressSession({ secret: 's', store: { get: EXPRESS_STORE.get } as never }), 'option migrateFrom.store is invalid: missing method destroy()'],
    ['express-session with an unknown option (O1)', () => fromExpressSession({ secret: 's', store: EXPRESS_STORE, prefix: 'sess:' } as never), 'option migrateFrom.prefix is unknown'],
    ['express-session with a userIdOf that is no function', () => fromExpressSession({ secret: 's', store: EXPRESS_STORE, userIdOf: 'passport.user' } as never), 'option migrateFrom.userIdOf is invalid'],
    ['koa-session without keys', () => fromKoaSession({ store: KOA_STORE } as never), 'option migrateFrom.keys is invalid'],
    ['koa-session without a store (data in the cookie is not read)', () => fromKoaSession({ keys: ['k'] } as never), 'option migrateFrom.store is invalid'],
    ['koa-session with an unknown algorithm', () => fromKoaSession({ keys: ['k'], store: KOA_STORE, algorithm: 'md-none' }), 'option migrateFrom.algorithm is invalid'],
  ];
  for (const [what, make, message] of badReaders) {
    it(`a reader of ${what} throws SessionConfigError naming the option`, () => {
      expect(make).to.throw(SessionConfigError, message);
    });
  }

  it('migrateFrom must have the reader shape', () => {
    for (const value of [true, 'express-session', {}, { sessionIdOf: () => undefined }]) {
      expect(() => resolveOptions({ ...BASE, migrateFrom: value as never }), JSON.stringify(value)).to.throw(SessionConfigError, 'option migrateFrom is invalid');
    }
  });

  it('a reader with userIdOf needs loadUser, and is accepted with it', () => {
    const migrateFrom = fromExpressSession({ secret: 's', store: EXPRESS_STORE, userIdOf: (data) => data['userId'] });
    expect(() => resolveOptions({ ...BASE, migrateFrom })).to.throw(SessionConfigError, 'option migrateFrom is invalid: its userIdOf needs the loadUser option');
    expect(resolveOptions({ ...BASE, migrateFrom, loadUser: () => null }).migrateFrom).to.equal(migrateFrom);
  });

  it('off by default', () => {
    expect(resolveOptions(BASE).migrateFrom).to.equal(undefined);
  });

  it("the default data drops the old library's own keys and sessionware's reserved names; userIdOf answers only non-empty strings", () => {
    const express = fromExpressSession({ secret: 's', store: EXPRESS_STORE, userIdOf: (data) => data['userId'] });
    expect(express.dataOf({ cookie: { path: '/' }, cart: [1], userId: 'u', user: {}, login: 1 })).to.deep.equal({ cart: [1] });
    expect(express.userIdOf({ userId: 'u' })).to.equal('u');
    for (const userId of [undefined, '', 42, null]) expect(express.userIdOf({ userId })).to.equal(undefined);
    const koa = fromKoaSession({ keys: ['k'], store: KOA_STORE });
    expect(koa.dataOf({ _expire: 1, _maxAge: 2, theme: 'dark', regenerate: true })).to.deep.equal({ theme: 'dark' });
    expect(koa.cookieNames).to.deep.equal(['koa.sess', 'koa.sess.sig']);
    expect(koa.mapsUsers).to.equal(false);
  });

  it('express-session: a store error or a callback-less rejection rejects the read; an expired record reads as null', async () => {
    const failing = fromExpressSession({ secret: 's', store: { get: (_sid, callback) => callback(new Error('down')), destroy: EXPRESS_STORE.destroy } });
    let error: unknown;
    await failing.read('sid').catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(Error);
    const expired = fromExpressSession({ secret: 's', store: { get: (_sid, callback) => callback(null, { cookie: { expires: '2000-01-01T00:00:00.000Z' }, a: 1 }), destroy: EXPRESS_STORE.destroy } });
    expect(await expired.read('sid')).to.equal(null);
  });
});
