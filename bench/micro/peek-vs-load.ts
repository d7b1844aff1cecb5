/**
 * What the peek (SPEC P5) costs beside the per-request load, on a real redis-server on
 * loopback: Redis CPU per call (INFO commandstats `usec_per_call` of EVALSHA, the script's
 * inner commands included) and the client's round trip with one call in flight, in
 * interleaved rounds, medians printed. A logged-in session with 10 data keys.
 *
 * Run after `pnpm build`: `node --import tsx bench/micro/peek-vs-load.ts`
 */
import { performance } from 'node:perf_hooks';
import { userTag, type Store } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { connectClient, startRedisServer } from '@sessionware/test-support';
import { median } from '../stats.js';

const ROUNDS = 7;
const CALLS = 3_000;
const HOUR = 3_600_000;

async function evalshaMicrosPerCall(admin: Awaited<ReturnType<typeof connectClient>>['client']): Promise<number> {
  const info = await admin.info('commandstats');
  const match = /^cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/m.exec(info);
  return Number(match?.[1] ?? Number.NaN);
}

async function measure(store: Store, admin: Awaited<ReturnType<typeof connectClient>>['client'], call: () => Promise<unknown>): Promise<{ serverMicros: number; roundTripMicros: number }> {
  await admin.config('RESETSTAT');
  const started = performance.now();
  for (let i = 0; i < CALLS; i += 1) await call();
  const roundTripMicros = ((performance.now() - started) * 1000) / CALLS;
  return { serverMicros: await evalshaMicrosPerCall(admin), roundTripMicros };
}

const server = await startRedisServer();
try {
  const { client } = await connectClient(server.url);
  const { client: admin } = await connectClient(server.url);
  const store = redisStore(client, { prefix: 'bench-peek:' });
  const userId = 'bench-user';
  const id = `${userTag(userId)}.${'a'.repeat(43)}`;
  const now = Date.now();
  const data = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key${i}`, JSON.stringify({ value: i, text: 'x'.repeat(40) })]));
  await store.create(id, {
    data, createdAt: now, lastSeenAt: now, expiresAt: now + HOUR, absoluteExpiresAt: now + 24 * HOUR,
    user: { id: userId, version: 0, attributes: '{"id":"bench-user","emailConfirmed":false}' }, handle: 'h'.repeat(22), authenticatedAt: now,
  });
  const load = () => store.load(id, { now: Date.now(), idleTimeoutMs: HOUR });
  const peek = () => store.peek(id, Date.now());
  await load();
  await peek();
  const results = { load: { server: [] as number[], roundTrip: [] as number[] }, peek: { server: [] as number[], roundTrip: [] as number[] } };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, call] of (round % 2 === 0 ? [['load', load], ['peek', peek]] : [['peek', peek], ['load', load]]) as Array<['load' | 'peek', () => Promise<unknown>]>) {
      const { serverMicros, roundTripMicros } = await measure(store, admin, call);
      results[name].server.push(serverMicros);
      results[name].roundTrip.push(roundTripMicros);
    }
  }
  for (const name of ['load', 'peek'] as const) {
    console.log(`${name}: Redis ${median(results[name].server).toFixed(2)} µs/call (EVALSHA with its inner commands), round trip ${median(results[name].roundTrip).toFixed(1)} µs, median of ${ROUNDS} rounds of ${CALLS}`);
  }
  client.disconnect();
  admin.disconnect();
} finally {
  await server.stop();
}
