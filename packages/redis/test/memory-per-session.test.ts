// Redis memory per session, reported in the README.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { userTag, type StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { useRedis } from '@sessionware/test-support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const engineId = (): string => randomBytes(32).toString('base64url');

/** A typical session without a user (its user id kept in the data) at the engine's defaults (idle 12 h, absolute 7 d). */
function typicalSession(t: number): StoredSession {
  return {
    data: {
      userId: JSON.stringify('u_7f3c9a2e41'),
      csrfToken: JSON.stringify(randomBytes(24).toString('base64url')),
      theme: JSON.stringify('dark'),
      cart: JSON.stringify(['sku-1042', 'sku-2211']),
    },
    createdAt: t,
    lastSeenAt: t,
    expiresAt: t + 12 * HOUR,
    absoluteExpiresAt: t + 7 * DAY,
  };
}

/**
 * A typical session of a logged-in user: its data without the user id (the store keeps it),
 * the engine's user copy (a small attributes object), handle and User-Agent.
 */
function typicalUserSession(t: number, userId: string): StoredSession {
  const { userId: _userId, ...data } = typicalSession(t).data;
  return {
    ...typicalSession(t),
    data,
    user: { id: userId, version: 0, attributes: JSON.stringify({ id: userId, username: 'ann', emailConfirmed: true }) },
    handle: randomBytes(16).toString('base64url'),
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  };
}

const userId = (): string => `u_${randomBytes(5).toString('hex')}`;

describe('redisStore memory per session', () => {
  const redis = useRedis();
  /** Redis's used_memory now, from INFO memory. */
  const usedMemory = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await redis().admin.info('memory'))?.[1]);

  it('a typical session without a user takes under 400 bytes by MEMORY USAGE (360 measured; README)', async () => {
    const store = redisStore(redis().client);
    const id = engineId();
    expect(await store.create(id, typicalSession(Date.now()))).to.equal('created');
    await store.load(id, { now: Date.now(), idleTimeoutMs: 12 * HOUR });
    const bytes = await redis().admin.memory('USAGE', `sw:s:{${id}}`, 'SAMPLES', '0');
    expect(bytes, `MEMORY USAGE of the session: ${String(bytes)} bytes`).to.be.a('number').and.be.below(400);
    await store.destroy(id);
  });

  it('5000 typical sessions without a user grow used_memory by under 600 bytes each, expiry table included (about 460 measured; README)', async () => {
    const store = redisStore(redis().client, { prefix: `memory:${randomUUID()}:` });
    const count = 5_000;
    const ids = Array.from({ length: count }, engineId);
    const before = await usedMemory();
    const t = Date.now();
    await Promise.all(ids.map((id) => store.create(id, typicalSession(t))));
    const perSession = ((await usedMemory()) - before) / count;
    expect(perSession, `used_memory per session: ${perSession.toFixed(0)} bytes`).to.be.within(200, 600);
    await Promise.all(ids.map((id) => store.destroy(id)));
  });

  it('U4: a typical logged-in user\'s session takes under 1400 bytes by MEMORY USAGE (1208 measured: its User-Agent makes it a hashtable), its user index under 400 (296 measured; README)', async () => {
    const store = redisStore(redis().client);
    const user = userId();
    const id = `${userTag(user)}.${engineId()}`;
    expect(await store.create(id, typicalUserSession(Date.now(), user))).to.equal('created');
    await store.load(id, { now: Date.now(), idleTimeoutMs: 12 * HOUR });
    const tag = userTag(user);
    const session = await redis().admin.memory('USAGE', `sw:s:{${tag}}${id.slice(23)}`, 'SAMPLES', '0');
    const index = await redis().admin.memory('USAGE', `sw:u:{${tag}}`, 'SAMPLES', '0');
    expect(session, `MEMORY USAGE of the session: ${String(session)} bytes`).to.be.a('number').and.be.below(1_400);
    expect(index, `MEMORY USAGE of the user index: ${String(index)} bytes`).to.be.a('number').and.be.below(400);
    await store.destroy(id);
  });

  it('U4: 5000 logged-in users with one typical session each grow used_memory by under 2200 bytes a user, index and expiry table included (about 1800 measured; README)', async () => {
    const store = redisStore(redis().client, { prefix: `memory:${randomUUID()}:` });
    const count = 5_000;
    const users = Array.from({ length: count }, userId);
    const ids = users.map((user) => `${userTag(user)}.${engineId()}`);
    const before = await usedMemory();
    const t = Date.now();
    await Promise.all(ids.map((id, n) => store.create(id, typicalUserSession(t, users[n] ?? ''))));
    const perUser = ((await usedMemory()) - before) / count;
    expect(perUser, `used_memory per logged-in user: ${perUser.toFixed(0)} bytes`).to.be.within(800, 2_200);
    await Promise.all(ids.map((id) => store.destroy(id)));
  });
});
