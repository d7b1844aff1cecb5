// Redis memory per session, reported in the README.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { StoredSession } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { useRedis } from './support/redis-client.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const engineId = (): string => randomBytes(32).toString('base64url');

/** A typical logged-in session at the engine's defaults (idle 12 h, absolute 7 d). */
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

describe('redisStore memory per session', () => {
  const redis = useRedis();

  it('a typical logged-in session takes under 400 bytes by MEMORY USAGE (360 measured; README)', async () => {
    const store = redisStore(redis().client);
    const id = engineId();
    expect(await store.create(id, typicalSession(Date.now()))).to.equal('created');
    await store.load(id, { now: Date.now(), idleTimeoutMs: 12 * HOUR });
    const bytes = await redis().admin.memory('USAGE', `sw:s:{${id}}`, 'SAMPLES', '0');
    expect(bytes, `MEMORY USAGE of the session: ${String(bytes)} bytes`).to.be.a('number').and.be.below(400);
    await store.destroy(id);
  });

  it('5000 typical sessions grow used_memory by under 600 bytes each, expiry table included (about 460 measured; README)', async () => {
    const store = redisStore(redis().client, { prefix: `memory:${randomUUID()}:` });
    const usedMemory = async (): Promise<number> => Number(/used_memory:(\d+)/.exec(await redis().admin.info('memory'))?.[1]);
    const count = 5_000;
    const ids = Array.from({ length: count }, engineId);
    const before = await usedMemory();
    const t = Date.now();
    await Promise.all(ids.map((id) => store.create(id, typicalSession(t))));
    const perSession = ((await usedMemory()) - before) / count;
    expect(perSession, `used_memory per session: ${perSession.toFixed(0)} bytes`).to.be.within(200, 600);
    await Promise.all(ids.map((id) => store.destroy(id)));
  });
});
