// The load script answers ONE string, the JSON array of the session hash (`cjson.encode`),
// which the store reads with one JSON.parse (docs/benchmarks.md, finding 2). cjson escapes
// some characters ('/', DEL, control characters) and copies the others (UTF-8) as they are:
// every key and value must still come back exactly as it was stored.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { userTag, type StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { decodeLoaded } from '../../src/internal/record.js';
import { runScript } from '../../src/internal/script.js';
import { LOAD_SCRIPT } from '../../src/internal/scripts/load.js';
import { useRedis } from '@sessionware/test-support';

const HOUR = 3_600_000;

/** Values as the engine stores them (JSON texts), and opaque strings a store must keep too. */
const VALUES: Record<string, string> = {
  slash: '"a/b"',
  escapedSlash: '"<\\/script>"',
  backslashSlash: '"\\\\/"',
  url: '{"url":"https://example.com/a/b?c=d&e=f#g"}',
  rawDel: '"\u007f"',
  escapedDel: '"\\u007f"',
  rawUnicode: '"é ü 日本語 😀 👩‍💻"',
  escapedUnicode: '"\\u00e9 \\ud83d\\ude00"',
  separators: '"\u2028\u2029"',
  controlEscapes: '"tab\\tnewline\\nnul\\u0000"',
  rawControl: '\u0001\u001f\t\n\r',
  quotes: '"\\"quoted\\""',
  empty: '',
  emptyText: '""',
  decimal: '1.0',
  padded: '  { "padded" : true }  ',
  nested: '[[],{},[{"a":[]}]]',
  large: JSON.stringify('é/😀\u007f session data '.repeat(3_000)),
};

/** Keys that cjson escapes, that look like metadata, or that a plain object treats specially. */
const KEYS = ['/', 'a/b', '', '"', '\\', '\u0001', '\u007f', 'é', '😀', '0', '1', 'length', '__proto__', 'constructor', 'd:x', 'm:expiresAt'];

describe('redisStore load reply: one JSON string, parsed once', () => {
  const redis = useRedis();

  function userRecord(userId: string, data: Record<string, string>): StoredSession {
    const t = Date.now();
    return {
      data,
      createdAt: t,
      lastSeenAt: t,
      expiresAt: t + HOUR,
      absoluteExpiresAt: t + 24 * HOUR,
      user: { id: userId, version: 3, attributes: '{"name":"Zoë / \\"Z\\"","path":"a\\/b","n":1.0}' },
      handle: randomBytes(16).toString('base64url'),
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Ünïcode/1.0 \u007f',
    };
  }

  it('T4: every data key and value, the user fields and the user agent come back byte for byte', async () => {
    const store = redisStore(redis().client, { prefix: `reply:${randomUUID()}:` });
    const data: Record<string, string> = { ...VALUES };
    KEYS.forEach((key, n) => Object.defineProperty(data, key, { value: `"key ${n} /é"`, enumerable: true, writable: true, configurable: true }));
    const userId = 'ü/ser "1" \u007f';
    const id = `${userTag(userId)}.${randomBytes(32).toString('base64url')}`;
    const record = userRecord(userId, data);
    expect(await store.create(id, record)).to.equal('created');
    await store.markUserChanged(userId);

    const now = record.createdAt + 1_000;
    const loaded = await store.load(id, { now, idleTimeoutMs: HOUR });
    expect(loaded).to.deep.equal({ ...record, lastSeenAt: now, expiresAt: now + HOUR, userVersion: 1 });
    expect(Object.getPrototypeOf(loaded?.data)).to.equal(Object.prototype);
    expect(Object.keys(loaded?.data ?? {}).sort()).to.deep.equal(Object.keys(data).sort());
    for (const [key, value] of Object.entries(data)) expect(loaded?.data[key], `key ${JSON.stringify(key)}`).to.equal(value);
  });

  it('T4: an anonymous session with 5000 keys comes back whole', async () => {
    const store = redisStore(redis().client, { prefix: `reply:${randomUUID()}:` });
    const t = Date.now();
    const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, n) => [`k/${n}`, JSON.stringify({ n, s: 'é/' })]));
    const id = randomBytes(32).toString('base64url');
    await store.create(id, { data, createdAt: t, lastSeenAt: t, expiresAt: t + HOUR, absoluteExpiresAt: t + 2 * HOUR });
    const loaded = await store.load(id, { now: t, idleTimeoutMs: HOUR });
    expect(loaded?.data).to.deep.equal(data);
    expect(loaded?.userVersion).to.equal(undefined);
  });

  it('the script answers one bulk string: the JSON array of the hash, then the user version for a user\'s session', async () => {
    const prefix = `reply:${randomUUID()}:`;
    const { client } = redis();
    const store = redisStore(client, { prefix });
    const userId = `user-${randomUUID()}`;
    const tag = userTag(userId);
    const random = randomBytes(32).toString('base64url');
    const record = userRecord(userId, { a: '"/"' });
    await store.create(`${tag}.${random}`, record);
    // The script the store's load runs, with the arguments it sends.
    const keysAndArgs = [2, `${prefix}s:{${tag}}${random}`, `${prefix}u:{${tag}}`, String(record.createdAt), String(HOUR), `${tag}.${random}`] as const;
    const reply = await runScript(client, LOAD_SCRIPT, keysAndArgs);
    expect(reply).to.be.a('string');
    const list = JSON.parse(reply as string) as string[];
    expect(list).to.have.length(2 * 10 + 1);
    expect(list.at(-1), 'the user version, last').to.equal('0');
    expect(list).to.include.members(['d:a', '"/"', 'm:userAgent', record.userAgent]);
  });

  describe('decodeLoaded', () => {
    const hash = ['m:createdAt', '1', 'm:lastSeenAt', '2', 'm:expiresAt', '3', 'm:absoluteExpiresAt', '4', 'd:__proto__', 'p', 'd:a', 'x'];
    const user = ['m:userId', 'u', 'm:userVersion', '5', 'm:userAttributes', '{}', 'm:handle', 'h'];

    it('reads a session, a user\'s session with its version, and nil', () => {
      const anonymous = decodeLoaded(JSON.stringify(hash));
      expect(anonymous).to.deep.equal({ data: JSON.parse('{"__proto__":"p","a":"x"}'), createdAt: 1, lastSeenAt: 2, expiresAt: 3, absoluteExpiresAt: 4 });
      expect(Object.getPrototypeOf(anonymous?.data), '__proto__ stays a data key').to.equal(Object.prototype);
      expect(decodeLoaded(JSON.stringify([...hash, ...user, '7']))).to.include({ userVersion: 7, handle: 'h' });
      expect(decodeLoaded(null)).to.equal(null);
    });

    const malformed: [string, unknown][] = [
      ['the former array reply', [hash]],
      ['a string that is not JSON', '["m:createdAt"'],
      ['JSON that is no array', '{"m:createdAt":"1"}'],
      ['a value that is not a string', JSON.stringify([...hash.slice(0, -1), 1])],
      ['a missing deadline', JSON.stringify(hash.slice(2))],
      ['a user\'s session without its version', JSON.stringify([...hash, ...user])],
      ['a version without a user', JSON.stringify([...hash, '7'])],
      ['a version that is no integer', JSON.stringify([...hash, ...user, 'x'])],
    ];
    for (const [label, reply] of malformed) {
      it(`refuses ${label}`, () => {
        expect(() => decodeLoaded(reply)).to.throw(/malformed/);
      });
    }
  });
});
