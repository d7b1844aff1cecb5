// A login carries the old session's data over (SPEC T6, T8): inside Redis on one slot (the
// replace script copies the old hash's data fields), through the client across Cluster slots
// (the take script answers them, `decodeTaken` reads them). Every key and value must arrive
// exactly as it was stored, and long sessions pass Lua's `unpack` limit in batches.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ReplacementSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { decodeTaken } from '../../src/internal/record.js';
import { runScript } from '../../src/internal/script.js';
import { TAKE_SCRIPT, takeArguments } from '../../src/internal/scripts/take.js';
import { useRedis } from '@sessionware/test-support';

const HOUR = 3_600_000;
const newId = (): string => randomBytes(32).toString('base64url');

function meta(now: number): ReplacementSession {
  return { createdAt: now, lastSeenAt: now, expiresAt: now + HOUR, absoluteExpiresAt: now + 24 * HOUR };
}

/** Data with keys that look like fields or that a plain object treats specially, values with bytes a reply could mangle. */
function oddData(): Record<string, string> {
  const data: Record<string, string> = {
    slash: '"a/b"',
    unicode: '"é ü 日本語 😀 👩‍💻"',
    control: '\u0001\u001f\t\n\r\u007f',
    empty: '',
    padded: '  { "padded" : true }  ',
  };
  const keys = ['', '/', 'é', '😀', 'length', 'constructor', 'd:x', 'm:expiresAt', '__proto__'];
  keys.forEach((key, n) => Object.defineProperty(data, key, { value: `"key ${n} /é"`, enumerable: true, writable: true, configurable: true }));
  return data;
}

describe('redisStore login: the old data carried over byte for byte', () => {
  const redis = useRedis();
  let prefix: string;

  beforeEach(() => {
    prefix = `login:${randomUUID()}:`;
  });

  it('T6, T8: the replace script copies every data field of the old hash (odd keys, 5000 keys), then applies unset and set', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const data = { ...oddData(), ...Object.fromEntries(Array.from({ length: 5_000 }, (_, n) => [`k${n}`, String(n)])) };
    Object.defineProperty(data, '__proto__', { value: '"old"', enumerable: true, writable: true, configurable: true });
    const oldId = newId();
    expect(await store.create(oldId, { ...meta(t), data })).to.equal('created');
    const nextId = newId();
    const set = Object.fromEntries([['new', '1'], ['k1', '"one"']]);
    Object.defineProperty(set, '__proto__', { value: '"set"', enumerable: true, writable: true, configurable: true });
    expect(await store.replace(oldId, nextId, meta(t), { set, unset: ['d:x', 'k0', 'k1'] })).to.equal('created');

    const expected: Record<string, string> = { ...data, new: '1', k1: '"one"' };
    delete expected['d:x'];
    delete expected['k0'];
    Object.defineProperty(expected, '__proto__', { value: '"set"', enumerable: true, writable: true, configurable: true });
    const loaded = await store.load(nextId, { now: t, idleTimeoutMs: HOUR });
    expect(Object.keys(loaded?.data ?? {}).sort()).to.deep.equal(Object.keys(expected).sort());
    for (const [key, value] of Object.entries(expected)) expect(loaded?.data[key], `key ${JSON.stringify(key)}`).to.equal(value);
  });

  it('T6, T8: the take script deletes a live session and answers its data fields, which decodeTaken reads back as stored', async () => {
    const store = redisStore(redis().client, { prefix });
    const t = Date.now();
    const data = { ...oddData(), ...Object.fromEntries(Array.from({ length: 2_000 }, (_, n) => [`k${n}`, String(n)])) };
    const id = newId();
    expect(await store.create(id, { ...meta(t), data })).to.equal('created');
    const key = `${prefix}s:{${id}}`;
    const taken = decodeTaken(await runScript(redis().client, TAKE_SCRIPT, takeArguments(prefix, id, Date.now())));
    expect(taken).to.not.equal(null);
    expect(Object.keys(taken ?? {}).sort()).to.deep.equal(Object.keys(data).sort());
    for (const [field, value] of Object.entries(data)) expect(taken?.[field], `key ${JSON.stringify(field)}`).to.equal(value);
    expect(await redis().admin.exists(key), 'the session is gone').to.equal(0);
    expect(decodeTaken(await runScript(redis().client, TAKE_SCRIPT, takeArguments(prefix, id, Date.now()))), 'taken again').to.equal(null);
  });

  it('T6: decodeTaken refuses a reply that is not the take script\'s', () => {
    for (const reply of [null, 'taken', [], ['other'], ['taken', 'd:a'], ['taken', 'm:createdAt', '1'], ['taken', 'd:a', 1]]) {
      expect(() => decodeTaken(reply), JSON.stringify(reply)).to.throw(/malformed reply of the take script/);
    }
    expect(decodeTaken(['missing'])).to.equal(null);
    expect({ ...decodeTaken(['taken', 'd:a', '1', 'd:', '']) }).to.deep.equal({ a: '1', '': '' });
  });
});
