import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { CompactSign } from 'jose';
import { generateSessionId } from '../../src/internal/id.js';
import { createSigner } from '../../src/internal/signer.js';

const CURRENT = randomBytes(48).toString('base64url');
const OLDER = randomBytes(48).toString('base64url');
const STRANGER = randomBytes(48).toString('base64url');
const encoder = new TextEncoder();

function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(token: string): { header: unknown; payload: unknown } {
  const [header = '', payload = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
  };
}

/** The `kid` the signer put in a token it made. */
function kidOf(token: string): string {
  const { header } = decode(token);
  return (header as { kid: string }).kid;
}

/** A token made with jose directly: any header, any payload, any key. */
function forge(header: { alg: string; kid?: string }, payload: unknown, secret: string): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(encoder.encode(secret));
}

describe('internal/signer: createSigner', () => {
  it('K1: the token is a compact JWS with protected header exactly {alg: HS256, kid} and payload exactly {sid}', async () => {
    const signer = createSigner([CURRENT], 10);
    const sid = generateSessionId();
    const token = await signer.sign(sid);
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const { header, payload } = decode(token);
    expect(header).to.have.all.keys('alg', 'kid');
    expect(header).to.have.property('alg', 'HS256');
    expect(payload).to.deep.equal({ sid });
  });

  it('K1: the kid names the key without revealing it: stable per secret, different across secrets', async () => {
    const sid = generateSessionId();
    const kid = kidOf(await createSigner([CURRENT], 0).sign(sid));
    expect(kid).to.match(/^[A-Za-z0-9_-]+$/);
    expect(CURRENT).not.to.include(kid);
    expect(kidOf(await createSigner([CURRENT, OLDER], 0).sign(generateSessionId()))).to.equal(kid);
    expect(kidOf(await createSigner([OLDER], 0).sign(sid))).not.to.equal(kid);
  });

  it('K1, K2: verify returns the session id signed with the first key, with currentKey true', async () => {
    const signer = createSigner([CURRENT, OLDER], 10);
    const sid = generateSessionId();
    expect(await signer.verify(await signer.sign(sid))).to.deep.equal({ sessionId: sid, currentKey: true });
  });

  it('K2: a token signed with an older key of the list verifies with currentKey false', async () => {
    const sid = generateSessionId();
    const oldToken = await createSigner([OLDER], 10).sign(sid);
    const rotated = createSigner([CURRENT, OLDER], 10);
    expect(await rotated.verify(oldToken)).to.deep.equal({ sessionId: sid, currentKey: false });
  });

  it('K2: the first secret signs: a token of the rotated signer is rejected by a signer with only the older key', async () => {
    const token = await createSigner([CURRENT, OLDER], 10).sign(generateSessionId());
    expect(await createSigner([OLDER], 10).verify(token)).to.equal(null);
    expect(await createSigner([CURRENT], 10).verify(token)).to.not.equal(null);
  });

  describe('K2: anything but a valid token is null, never a throw', () => {
    const signer = createSigner([CURRENT, OLDER], 100);
    let valid = '';
    let kid = '';
    const sid = generateSessionId();
    before(async () => {
      valid = await signer.sign(sid);
      kid = kidOf(valid);
    });

    const cases: Array<[string, () => Promise<string>]> = [
      ['a token signed with an unknown key', () => createSigner([STRANGER], 0).sign(sid)],
      ['an unknown key claiming a known kid', () => forge({ alg: 'HS256', kid }, { sid }, STRANGER)],
      ['a token whose kid was swapped for an unknown one', async () => {
        const [, payload, signature] = valid.split('.');
        return `${segment({ alg: 'HS256', kid: 'AAAAAAAAAAAA' })}.${payload}.${signature}`;
      }],
      ['a token without a kid, signed with the right secret', () => forge({ alg: 'HS256' }, { sid }, CURRENT)],
      ['a tampered payload (another sid, original signature)', async () => {
        const [header, , signature] = valid.split('.');
        return `${header}.${segment({ sid: generateSessionId() })}.${signature}`;
      }],
      ['a tampered signature (first character changed)', async () => {
        const [header, payload, signature = ''] = valid.split('.');
        const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
        return `${header}.${payload}.${flipped}`;
      }],
      ['a signature from another token', async () => {
        const other = await signer.sign(generateSessionId());
        const [header, payload] = valid.split('.');
        return `${header}.${payload}.${other.split('.')[2]}`;
      }],
      ['alg none with an empty signature', async () => `${segment({ alg: 'none', kid })}.${segment({ sid })}.`],
      ['alg none with a signature copied from a valid token', async () =>
        `${segment({ alg: 'none', kid })}.${segment({ sid })}.${valid.split('.')[2]}`],
      ['HS512 signed with the right secret and kid', () => forge({ alg: 'HS512', kid }, { sid }, CURRENT)],
      ['HS384 signed with the right secret and kid', () => forge({ alg: 'HS384', kid }, { sid }, CURRENT)],
      ['a right signature over a payload without sid', () => forge({ alg: 'HS256', kid }, { user: 'alice' }, CURRENT)],
      ['a right signature over a sid that is not a session id', () => forge({ alg: 'HS256', kid }, { sid: 'admin' }, CURRENT)],
      ['a right signature over a numeric sid', () => forge({ alg: 'HS256', kid }, { sid: 42 }, CURRENT)],
      ['a right signature over a non-JSON payload', async () =>
        new CompactSign(encoder.encode('not json')).setProtectedHeader({ alg: 'HS256', kid }).sign(encoder.encode(CURRENT))],
      ['a right signature over a JSON null payload', () => forge({ alg: 'HS256', kid }, null, CURRENT)],
      ['a valid token longer than 512 characters', () =>
        forge({ alg: 'HS256', kid }, { sid, pad: 'x'.repeat(600) }, CURRENT)],
      ['an over-long string', async () => `${valid}.${'A'.repeat(100_000)}`],
      ['the empty string', async () => ''],
      ['one segment', async () => 'abc'],
      ['two segments', async () => valid.split('.').slice(0, 2).join('.')],
      ['four segments', async () => `${valid}.AAAA`],
      ['empty segments', async () => '..'],
      ['a valid token with a trailing space', async () => `${valid} `],
      ['a valid token with base64 padding', async () => `${valid}=`],
      ['a valid token, percent-encoded', async () => encodeURIComponent(`${valid}/`)],
      ['a valid token with a non-ASCII character', async () => `${valid}é`],
      ['JSON instead of a JWS', async () => JSON.stringify({ sid })],
      ['a header that is not JSON', async () => `${Buffer.from('{').toString('base64url')}.${valid.split('.').slice(1).join('.')}`],
    ];
    for (const [what, make] of cases) {
      it(`K2: ${what} verifies as null`, async () => {
        const token = await make();
        const result = await signer.verify(token);
        expect(result).to.equal(null);
      });
    }

    it('K2: a token padded with extra claims but under 512 characters still verifies (the length bound is what rejects the long one)', async () => {
      const token = await forge({ alg: 'HS256', kid }, { sid, pad: 'x'.repeat(20) }, CURRENT);
      expect(token.length).to.be.below(512);
      expect(await signer.verify(token)).to.deep.equal({ sessionId: sid, currentKey: true });
    });
  });

  describe('K5: the verify cache', () => {
    it('K5: a verified token is answered from the cache: the second verify returns the very same result object', async () => {
      const signer = createSigner([CURRENT], 10);
      const token = await signer.sign(generateSessionId());
      const first = await signer.verify(token);
      expect(first).to.not.equal(null);
      expect(await signer.verify(token)).to.equal(first);
    });

    it('K5: with a cache size of 0 every verify runs the signature check again (a fresh result each time)', async () => {
      const signer = createSigner([CURRENT], 0);
      const token = await signer.sign(generateSessionId());
      const first = await signer.verify(token);
      const second = await signer.verify(token);
      expect(second).to.deep.equal(first);
      expect(second).to.not.equal(first);
    });

    it('K5: the cache is bounded: past its size the least recently used token is forgotten', async () => {
      const signer = createSigner([CURRENT], 2);
      const [a, b, c] = await Promise.all([0, 1, 2].map(() => signer.sign(generateSessionId())));
      const resultA = await signer.verify(a ?? '');
      const resultB = await signer.verify(b ?? '');
      expect(await signer.verify(a ?? '')).to.equal(resultA); // a is now the most recent
      await signer.verify(c ?? ''); // evicts b
      expect(await signer.verify(a ?? '')).to.equal(resultA);
      const againB = await signer.verify(b ?? '');
      expect(againB).to.deep.equal(resultB);
      expect(againB).to.not.equal(resultB);
    });

    it('K2, K5: only successes are cached: a tampered token stays null and does not evict a cached one', async () => {
      const signer = createSigner([CURRENT], 1);
      const token = await signer.sign(generateSessionId());
      const cached = await signer.verify(token);
      const [header, payload, signature = ''] = token.split('.');
      const tampered = `${header}.${payload}.${(signature[0] === 'A' ? 'B' : 'A') + signature.slice(1)}`;
      expect(await signer.verify(tampered)).to.equal(null);
      expect(await signer.verify(tampered)).to.equal(null);
      // In a cache of size 1, storing the failure would have evicted the valid token.
      expect(await signer.verify(token)).to.equal(cached);
    });

    it('K2, K5: a token from an older key is cached with currentKey false', async () => {
      const token = await createSigner([OLDER], 0).sign(generateSessionId());
      const signer = createSigner([CURRENT, OLDER], 10);
      const first = await signer.verify(token);
      expect(first).to.have.property('currentKey', false);
      expect(await signer.verify(token)).to.equal(first);
    });
  });

  it('K2: createSigner refuses an empty secret list', () => {
    expect(() => createSigner([], 10)).to.throw(TypeError, 'no signing secret');
  });
});
