// The renewal (SPEC P2) in the Redis key layout: the hash moves as it is, the old key is a
// pointer that Redis expires at the end of the grace, and the index names the new id.
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { userTag } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { HOUR, MINUTE, newUserId, seedUser, userRecord, userSessionId } from '@sessionware/store-test';
import { useRedis } from '@sessionware/test-support';

describe('redisStore renewal (P2)', () => {
  const redis = useRedis();
  let prefix: string;

  beforeEach(() => {
    prefix = `renew:${randomUUID()}:`;
  });

  const keyOf = (id: string): string => {
    const tag = id.slice(0, 22);
    return `${prefix}s:{${tag}}${id.slice(23)}`;
  };

  it('P2: renew RENAMEs the hash as it is: fields the engine does not know (m:authenticatedAt, …) and the PEXPIREAT move unchanged; m:renewedAt added', async () => {
    const store = redisStore(redis().client, { prefix });
    const { admin } = redis();
    const t = Date.now();
    const userId = newUserId();
    const oldId = await seedUser(store, userRecord(userId, { data: { a: '1' }, now: t }));
    // Fields other record options add (P1, P3): a renewal must not drop them.
    await admin.hset(keyOf(oldId), 'm:authenticatedAt', String(t - 1), 'm:cookieExpiry', 'persistent', 'm:idleTimeout', '60000');
    const before = await admin.hgetall(keyOf(oldId));
    const expireTime = await admin.pexpiretime(keyOf(oldId));
    const newId = userSessionId(userId);
    expect(await store.renew(oldId, newId, { now: t + 5, graceMs: MINUTE })).to.equal('renewed');
    expect(await admin.hgetall(keyOf(newId))).to.deep.equal({ ...before, 'm:renewedAt': String(t + 5) });
    expect(await admin.pexpiretime(keyOf(newId))).to.equal(expireTime);
  });

  it('P2: the old key is a pointer of two fields that Redis expires at the end of the grace; the index names the new id', async () => {
    const store = redisStore(redis().client, { prefix });
    const { admin } = redis();
    const t = Date.now();
    const userId = newUserId();
    const record = userRecord(userId, { now: t });
    const oldId = await seedUser(store, record);
    const newId = userSessionId(userId);
    expect(await store.renew(oldId, newId, { now: t, graceMs: 30_000 })).to.equal('renewed');
    expect(await admin.hgetall(keyOf(oldId))).to.deep.equal({ 'm:renewedTo': newId, 'm:renewedUntil': String(t + 30_000) });
    expect(await admin.pexpiretime(keyOf(oldId))).to.equal(t + 30_000);
    expect(await admin.hgetall(`${prefix}u:{${userTag(userId)}}`)).to.deep.include({ [`h:${record.handle ?? ''}`]: newId });
    expect((await store.load(oldId, { now: t, idleTimeoutMs: HOUR }))?.currentId).to.equal(newId);
  });

  it('P2, S1: renew refuses ids of two users, or anonymous ids, before sending anything', async () => {
    const store = redisStore(redis().client, { prefix });
    const oldId = userSessionId(newUserId());
    await expectRejection(store.renew(oldId, userSessionId(newUserId()), { now: Date.now(), graceMs: MINUTE }));
    await expectRejection(store.renew(oldId.slice(23), oldId.slice(23), { now: Date.now(), graceMs: MINUTE }));
  });
});

async function expectRejection(promise: Promise<unknown>): Promise<void> {
  let rejected: unknown;
  await promise.catch((error: unknown) => { rejected = error; });
  expect(rejected).to.be.instanceOf(TypeError);
}
