// What only the Redis store has: its key layout, Redis-side expiry and its memory per session.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { ReplacementSession, StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { DAY, HOUR, newId as engineId } from '@sessionware/store-test';
import { connectClient, useRedis } from '@sessionware/test-support';

function record(data: Record<string, string>, now: number, idleMs = HOUR, absoluteMs = DAY): StoredSession {
  return { data, ...meta(now, idleMs, absoluteMs) };
}

/** A login's new record, without the data `replace` carries over. */
function meta(now: number, idleMs = HOUR, absoluteMs = DAY): ReplacementSession {
  return { createdAt: now, lastSeenAt: now, expiresAt: now + Math.min(idleMs, absoluteMs), absoluteExpiresAt: now + absoluteMs };
}

describe('redisStore on Redis', () => {
  const redis = useRedis();
  let prefix: string;

  beforeEach(() => {
    prefix = `test:${randomUUID()}:`;
  });

  describe('key layout', () => {
    it('T9, S1: a session is one hash at <prefix>s:{<id>}: metadata in m: fields, each data key in a d: field', async () => {
      const store = redisStore(redis().client, { prefix });
      const id = engineId();
      const t = Date.now();
      // Data keys that look like metadata or data fields cannot collide with them.
      const data = { user: '"alice"', 'm:expiresAt': '"not a deadline"', 'd:x': '1' };
      expect(await store.create(id, record(data, t))).to.equal('created');
      const key = `${prefix}s:{${id}}`;
      expect(await redis().admin.type(key)).to.equal('hash');
      expect(await redis().admin.hgetall(key)).to.deep.equal({
        'm:createdAt': String(t),
        'm:lastSeenAt': String(t),
        'm:expiresAt': String(t + HOUR),
        'm:absoluteExpiresAt': String(t + DAY),
        'd:user': '"alice"',
        'd:m:expiresAt': '"not a deadline"',
        'd:d:x': '1',
      });
      expect(await redis().admin.keys(`${prefix}*`)).to.deep.equal([key]);
      expect((await store.load(id, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal(data);
    });

    it('T9: the default prefix is sw:, and stores with different prefixes do not see each other', async () => {
      const id = engineId();
      const t = Date.now();
      const byDefault = redisStore(redis().client);
      const other = redisStore(redis().client, { prefix });
      expect(await byDefault.create(id, record({ a: '1' }, t))).to.equal('created');
      expect(await redis().admin.exists(`sw:s:{${id}}`)).to.equal(1);
      expect(await other.load(id, { now: t, idleTimeoutMs: HOUR })).to.equal(null);
      expect(await other.create(id, record({ a: '2' }, t))).to.equal('created');
      await byDefault.destroy(id);
      expect((await other.load(id, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ a: '2' });
    });

    it('T9: the ioredis keyPrefix option of the client is applied before the store prefix', async () => {
      const { client } = await connectClient(redis().server.url, { keyPrefix: 'tenant1:' });
      try {
        const store = redisStore(client, { prefix });
        const id = engineId();
        expect(await store.create(id, record({ a: '1' }, Date.now()))).to.equal('created');
        expect(await redis().admin.exists(`tenant1:${prefix}s:{${id}}`)).to.equal(1);
        await store.destroy(id);
        expect(await redis().admin.exists(`tenant1:${prefix}s:{${id}}`)).to.equal(0);
      } finally {
        client.disconnect();
      }
    });
  });

  describe('expiry in Redis', () => {
    it('T2: the key expires at the earlier deadline: PTTL after create, after a load that slides it, never past the absolute deadline', async () => {
      const store = redisStore(redis().client, { prefix });
      const pttl = (id: string): Promise<number> => redis().admin.pttl(`${prefix}s:{${id}}`);
      const t = Date.now();
      const id = engineId();
      await store.create(id, record({}, t, 10 * 60_000, HOUR));
      expect(await pttl(id), 'after create: the idle deadline').to.be.within(10 * 60_000 - 1_000, 10 * 60_000);

      const now = Date.now();
      const loaded = await store.load(id, { now, idleTimeoutMs: 30 * 60_000 });
      expect(loaded?.expiresAt).to.equal(now + 30 * 60_000);
      const afterLoad = await pttl(id);
      expect(afterLoad, 'after load: the slid idle deadline').to.be.within(30 * 60_000 - 1_000, 30 * 60_000);
      expect(afterLoad).to.be.at.most((loaded?.expiresAt ?? 0) - now);

      const capped = await store.load(id, { now: Date.now(), idleTimeoutMs: 2 * HOUR });
      expect(capped?.expiresAt, 'the slide stops at the absolute deadline').to.equal(t + HOUR);
      expect(await pttl(id), 'the key expires at the absolute deadline').to.be.within(HOUR - 1_000, HOUR);

      const absoluteFirst = engineId();
      await store.create(absoluteFirst, { ...record({}, t), expiresAt: t + HOUR, absoluteExpiresAt: t + 60_000 });
      expect(await pttl(absoluteFirst), 'a record whose absolute deadline comes first').to.be.within(59_000, 60_000);
    });

    it('T4: update leaves the key\'s expiry where it was (only a load slides it)', async () => {
      const store = redisStore(redis().client, { prefix });
      const id = engineId();
      await store.create(id, record({ a: '1' }, Date.now(), 10 * 60_000));
      const before = await redis().admin.pexpiretime(`${prefix}s:{${id}}`);
      expect(await store.update(id, { set: { a: '2', b: '3' }, unset: [] })).to.equal('updated');
      expect(await redis().admin.pexpiretime(`${prefix}s:{${id}}`)).to.equal(before);
    });

    it('T2: Redis itself deletes a record once its deadline passes, with no store call (keyspace event "expired")', async () => {
      const store = redisStore(redis().client, { prefix });
      const { client: subscriber } = await connectClient(redis().server.url);
      try {
        await redis().admin.config('SET', 'notify-keyspace-events', 'Ex');
        await subscriber.subscribe('__keyevent@0__:expired');
        const id = engineId();
        const key = `${prefix}s:{${id}}`;
        const expired = new Promise<void>((resolve) => {
          subscriber.on('message', (_channel: string, message: string) => {
            if (message === key) resolve();
          });
        });
        const t = Date.now();
        await store.create(id, { ...record({ a: '1' }, t), expiresAt: t + 100 });
        expect(await redis().admin.exists(key), 'live before its deadline').to.equal(1);
        // Bounded, so that the finally block runs even when the key never expires.
        await Promise.race([expired, new Promise((_, reject) => setTimeout(() => reject(new Error('no expired event within 5 s')), 5_000).unref())]);
        expect(Date.now(), 'not before the deadline').to.be.at.least(t + 100);
        expect(await redis().admin.exists(key)).to.equal(0);
        expect(await store.load(id, { now: Date.now(), idleTimeoutMs: HOUR })).to.equal(null);
      } finally {
        subscriber.disconnect();
        await redis().admin.config('SET', 'notify-keyspace-events', '');
      }
    });
  });

  describe('deadlines judged by the app\'s clock', () => {
    /**
     * A record past one deadline by the app's clock whose key Redis still holds, as when
     * Redis's clock runs behind the app's.
     */
    async function skewedLeftover(id: string, data: Record<string, string>, past: 'idle' | 'absolute' = 'idle'): Promise<string> {
      const key = `${prefix}s:{${id}}`;
      const t = Date.now();
      const [idle, absolute] = past === 'idle' ? [t - 1, t + DAY] : [t + HOUR, t - 1];
      const fields = Object.entries(data).flatMap(([name, value]) => [`d:${name}`, value]);
      await redis().admin.hset(key, 'm:createdAt', t - HOUR, 'm:lastSeenAt', t - HOUR, 'm:expiresAt', idle, 'm:absoluteExpiresAt', absolute, ...fields);
      await redis().admin.pexpire(key, HOUR);
      return key;
    }

    for (const past of ['idle', 'absolute'] as const) {
      it(`T2, T8: past its ${past} deadline, load and update treat it as gone and delete it; update writes nothing`, async () => {
        const store = redisStore(redis().client, { prefix });
        const loaded = engineId();
        const updated = engineId();
        const loadedKey = await skewedLeftover(loaded, { a: '1' }, past);
        const updatedKey = await skewedLeftover(updated, { a: '1' }, past);
        expect(await store.load(loaded, { now: Date.now(), idleTimeoutMs: HOUR })).to.equal(null);
        expect(await redis().admin.exists(loadedKey)).to.equal(0);
        expect(await store.update(updated, { set: { b: '2' }, unset: [] })).to.equal('missing');
        expect(await redis().admin.exists(updatedKey)).to.equal(0);
      });
    }

    it('T5, T6: create and replace onto it start from an empty hash: none of its data keys survive', async () => {
      const store = redisStore(redis().client, { prefix });
      const created = engineId();
      const replaced = engineId();
      await skewedLeftover(created, { stale: '"old"', shared: '"old"' });
      await skewedLeftover(replaced, { stale: '"old"', shared: '"old"' });
      const t = Date.now();
      expect(await store.create(created, record({ shared: '"new"' }, t))).to.equal('created');
      const from = engineId();
      await store.create(from, record({}, t));
      expect(await store.replace(from, replaced, meta(t), { set: { shared: '"new"' }, unset: [] })).to.equal('created');
      for (const id of [created, replaced]) {
        expect((await store.load(id, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ shared: '"new"' });
      }
    });

    it('T6, T8: replace from it answers missing, deletes it and creates nothing', async () => {
      const store = redisStore(redis().client, { prefix });
      const oldId = engineId();
      const oldKey = await skewedLeftover(oldId, { a: '1' });
      const target = engineId();
      expect(await store.replace(oldId, target, meta(Date.now()), { set: { a: '1' }, unset: [] })).to.equal('missing');
      expect(await redis().admin.exists(oldKey, `${prefix}s:{${target}}`)).to.equal(0);
    });
  });

  describe('large sessions', () => {
    it('T4: 5000 keys are created, updated and unset in one call each (scripts pass arguments to HSET/HDEL in batches)', async () => {
      const store = redisStore(redis().client, { prefix });
      const id = engineId();
      const t = Date.now();
      const keys = Array.from({ length: 5_000 }, (_, n) => `key${n}`);
      expect(await store.create(id, record(Object.fromEntries(keys.map((key) => [key, '1'])), t))).to.equal('created');
      const set = Object.fromEntries(keys.map((key) => [`new${key}`, '2']));
      expect(await store.update(id, { set, unset: keys })).to.equal('updated');
      expect((await store.load(id, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal(set);
    });
  });
});
