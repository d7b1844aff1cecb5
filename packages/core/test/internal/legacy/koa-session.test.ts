import { expect } from 'chai';
import { keygripSign, koaSessionExpired, koaSessionValue } from '../../../src/internal/legacy/koa-session.js';

// Vectors made by keygrip 1.1.0 (what the cookies library signs koa-session's cookie with).
const KEY = '4b1f8a52-9a0e-4f3e-8d2f-0c1f2b3a4d5e';
const SIG_SHA1 = 'pmxISgUuh42YJpljatJiRRQgTNE';
const SIG_SHA256 = 'v-kKrb_rdvUtwCN8ntqevau4NV5ffc_YLoKt4U0NCfQ';

describe('issue 16: migration — internal/legacy/koa-session: the old cookie', () => {
  it("signs as keygrip does (HMAC-SHA1 by default, base64 with / → _, + → -, no =)", () => {
    expect(keygripSign('sha1', 'koa-key-one', `koa.sess=${KEY}`)).to.equal(SIG_SHA1);
    expect(keygripSign('sha256', 'koa-key-one', `koa.sess=${KEY}`)).to.equal(SIG_SHA256);
  });

  const valid: [string, string, readonly string[], string][] = [
    ['signed with the only key', SIG_SHA1, ['koa-key-one'], 'sha1'],
    ['signed with a later key of app.keys', SIG_SHA1, ['rotated-newer-key', 'koa-key-one'], 'sha1'],
    ['signed with sha256 when that is the algorithm', SIG_SHA256, ['koa-key-one'], 'sha256'],
  ];
  for (const [what, signature, keys, algorithm] of valid) {
    it(`accepts a cookie ${what}`, () => {
      expect(koaSessionValue(KEY, signature, 'koa.sess', keys, algorithm)).to.equal(KEY);
    });
  }

  const invalid: [string, string | undefined, string | undefined, string][] = [
    ['without its .sig cookie', KEY, undefined, 'koa.sess'],
    ['absent, with a .sig cookie', undefined, SIG_SHA1, 'koa.sess'],
    ['with the value changed', KEY.replace('4b1f', '4b1e'), SIG_SHA1, 'koa.sess'],
    ['with one signature character changed', KEY, SIG_SHA1.replace('pmx', 'pmy'), 'koa.sess'],
    ['signed under another cookie name', KEY, SIG_SHA1, 'other.sess'],
    ['with a sha256 signature read as sha1', KEY, SIG_SHA256, 'koa.sess'],
    ['empty', '', SIG_SHA1, 'koa.sess'],
    ['oversized', 'a'.repeat(2000), SIG_SHA1, 'koa.sess'],
  ];
  for (const [what, value, signature, name] of invalid) {
    it(`refuses a cookie ${what}`, () => {
      expect(koaSessionValue(value, signature, name, ['koa-key-one'], 'sha1')).to.equal(undefined);
    });
  }

  it('refuses a cookie signed with a key that is not in the list', () => {
    expect(koaSessionValue(KEY, SIG_SHA1, 'koa.sess', ['another-key'], 'sha1')).to.equal(undefined);
  });

  it('reads _expire as koa-session does: past is expired, absent is live', () => {
    expect(koaSessionExpired({ _expire: 1000 }, 2000)).to.equal(true);
    expect(koaSessionExpired({ _expire: 3000 }, 2000)).to.equal(false);
    expect(koaSessionExpired({}, 2000)).to.equal(false);
  });
});
