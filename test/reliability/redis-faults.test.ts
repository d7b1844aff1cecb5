// Redis paused (SIGSTOP/SIGCONT), killed (SIGKILL) and restarted on its port under a steady
// concurrent load on both example apps (SPEC F1, F2, F4, F5, L2, T7).
import { expect } from 'chai';
import { startRedisServer, type RedisServer } from '@sessionware/test-support';
import { KeepAliveClient } from './support/client.js';
import { startExampleOnRedis, type ExampleOnRedis } from './support/example-on-redis.js';
import { recordFigures, trackOutcomes } from './support/figures.js';
import { Load, type Observation } from './support/load.js';
import { scaled } from './support/scale.js';

/** The store bound given to the apps (`storeTimeout`, which also bounds their users table). */
const BOUND_MS = 500;
/** Slack for a loaded 2-core machine; below one bound, so that two bounds in a row show. */
const MARGIN_MS = 400;
const USERS = 8;
const CYCLES = scaled(1);
/** Answers of steady load between faults. */
const STEADY = scaled(80);

const tally = (observations: Observation[]) => {
  const counts = new Map<string, number>();
  for (const o of observations) counts.set(String(o.status || o.failure), (counts.get(String(o.status || o.failure)) ?? 0) + 1);
  return [...counts].sort().map(([status, n]) => `${status}: ${n}`).join(', ');
};
/** Asserts that `found` is empty, listing what was found (chai would cut the list short). */
function expectNone(found: readonly string[], what: string): void {
  expect(found.length, `${what}:\n${found.slice(0, 25).join('\n')}`).to.equal(0);
}
const show = (o: Observation) => `${o.route} in ${o.phase}: ${o.status || o.failure} after ${Math.round(o.elapsedMs)} ms ${o.body}`;

/** A fresh visitor's whole visit, each step strict: what F2 requires once Redis is back. */
async function probe(url: string, label: string): Promise<string | undefined> {
  const client = new KeepAliveClient(url, 1);
  try {
    const login = await client.request('POST', '/login', { json: { username: `probe-${label}` }, deadlineMs: 5_000 });
    if (login.status !== 200) return `${label}: login answered ${login.status || login.failure} ${login.body}`;
    const cookie = login.setCookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const counter = await client.request('POST', '/counter', { cookie, deadlineMs: 5_000 });
    if (counter.status !== 200 || (counter.json as { counter?: number }).counter !== 1) return `${label}: counter answered ${counter.status} ${counter.body}`;
    const whoami = await client.request('GET', '/whoami', { cookie, deadlineMs: 5_000 });
    if (whoami.status !== 200) return `${label}: whoami answered ${whoami.status} ${whoami.body}`;
    const logout = await client.request('POST', '/auth/logout', { cookie, deadlineMs: 5_000 });
    if (logout.status !== 200 || !logout.body.includes('"revoked":true')) return `${label}: logout answered ${logout.status} ${logout.body}`;
    const replay = await client.request('GET', '/whoami', { cookie, deadlineMs: 5_000 });
    if (replay.status !== 401) return `${label}: the logged-out cookie answered ${replay.status}`;
    return undefined;
  } finally {
    client.close();
  }
}

/** Logs a visitor in (Redis up) and returns a function that logs it out, as an observation of `phase`. */
async function visitor(url: string, name: string): Promise<(phase: string) => Promise<Observation>> {
  const client = new KeepAliveClient(url, 1);
  const login = await client.request('POST', '/login', { json: { username: name }, deadlineMs: 5_000 });
  expect(login.status, `${name} logs in before the fault`).to.equal(200);
  const cookie = login.setCookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return async (phase) => {
    const answer = await client.request('POST', '/auth/logout', { cookie, deadlineMs: BOUND_MS + MARGIN_MS + 5_000 });
    client.close();
    const cleared = answer.setCookies.filter((c) => c.attributes['max-age'] === '0').map((c) => c.name);
    const observation: Observation = {
      route: 'POST /auth/logout', phase, status: answer.status, elapsedMs: answer.elapsedMs, body: answer.body.slice(0, 200),
      clearedBoth: cleared.includes('sw.sid') && cleared.includes('sw.sid.active'),
    };
    if (answer.failure !== undefined) observation.failure = answer.failure;
    return observation;
  };
}

function describeRedisFaults(framework: 'express' | 'koa'): void {
  describe(`reliability: Redis paused, killed and restarted under load, ${framework} example (F1, F2, L2)`, function () {
    this.timeout(60_000 + CYCLES * 20_000);
    trackOutcomes();
    let redis: RedisServer | undefined;
    let app: ExampleOnRedis | undefined;
    let load: Load | undefined;
    const processFaults: string[] = [];
    const probeFailures: string[] = [];
    /** Logouts of a live session sent while Redis was paused, one per cycle. */
    const pausedLogouts: Observation[] = [];
    const faults = { 'SIGSTOP + SIGCONT': 0, SIGKILL: 0, 'restart on the same port': 0 };
    let seconds = 0;
    const onRejection = (reason: unknown) => processFaults.push(`unhandledRejection: ${String(reason)}`);
    const onException = (error: unknown) => processFaults.push(`uncaughtException: ${String(error)}`);

    before(async () => {
      const started = performance.now();
      process.on('unhandledRejection', onRejection);
      process.on('uncaughtException', onException);
      redis = await startRedisServer();
      app = await startExampleOnRedis(framework, redis.url, BOUND_MS);
      load = new Load(app.url, USERS, BOUND_MS + MARGIN_MS + 5_000);
      load.start();
      await load.answered(STEADY);
      for (let cycle = 0; cycle < CYCLES; cycle += 1) {
        // A logged-in visitor logs out while Redis is paused: the logout of a live session L2 bounds.
        const logOut = await visitor(app.url, `leaving-${cycle}`);
        load.phase = 'paused';
        redis.pause();
        faults['SIGSTOP + SIGCONT'] += 1;
        const [observation] = await Promise.all([logOut('paused'), load.answered(USERS * 3)]);
        pausedLogouts.push(observation);
        redis.resume();
        load.phase = 'after SIGCONT';
        probeFailures.push(...[await probe(app.url, `after-sigcont-${cycle}`)].filter((f) => f !== undefined));
        await load.answered(STEADY / 2);
        load.phase = 'killed';
        load.epoch += 1;
        await redis.kill();
        faults.SIGKILL += 1;
        await load.answered(USERS * 5);
        load.phase = 'restarting';
        // Not events.once: it rejects on the client's 'error' events of the reconnection attempts.
        const client = app.client;
        const ready = new Promise<void>((resolve) => client.once('ready', () => resolve()));
        await redis.restart();
        faults['restart on the same port'] += 1;
        await ready;
        load.phase = 'after restart';
        probeFailures.push(...[await probe(app.url, `after-restart-${cycle}`)].filter((f) => f !== undefined));
        await load.answered(STEADY / 2);
      }
      await load.stop();
      seconds = (performance.now() - started) / 1000;
    });

    after(async () => {
      await load?.stop();
      await app?.close();
      await redis?.stop();
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      const observations = [...(load?.observations ?? []), ...pausedLogouts];
      const phases = [...new Set(observations.map((o) => o.phase))];
      recordFigures('redis faults', `${framework} example`, {
        'faults injected': Object.entries(faults).map(([fault, n]) => `${fault} × ${n}`).join(', '),
        'requests sent': observations.length,
        answers: tally(observations),
        ...Object.fromEntries(phases.map((phase) => [`answers ${phase}`, tally(observations.filter((o) => o.phase === phase))])),
        'slowest answer but logout (ms)': Math.round(Math.max(0, ...observations.filter((o) => o.route !== 'POST /auth/logout').map((o) => o.elapsedMs))),
        'slowest logout (ms)': Math.round(Math.max(0, ...observations.filter((o) => o.route === 'POST /auth/logout').map((o) => o.elapsedMs))),
        'acknowledged writes lost': load?.losses.length ?? 0,
        'counter increments answered 503 but applied later': load?.lateWrites ?? 0,
        'sessions orphaned by a login answered 503 but applied later': load?.orphaned ?? 0,
        'sessions lost with the SIGKILLed Redis (no persistence)': load?.lostToKill ?? 0,
        'failed recovery probes': probeFailures.length,
        seconds: Number(seconds.toFixed(1)),
      });
    });

    const observations = () => [...(load?.observations ?? []), ...pausedLogouts];

    it(`F1: no request but logout waits past the store bound (${BOUND_MS} ms) plus ${MARGIN_MS} ms, and the faults were felt (503s)`, () => {
      const slow = observations().filter((o) => o.route !== 'POST /auth/logout' && (o.failure !== undefined || o.elapsedMs > BOUND_MS + MARGIN_MS));
      expectNone(slow.map(show), 'answers later than the bound plus margin');
      for (const phase of ['paused', 'killed']) {
        expect(observations().filter((o) => o.phase === phase && o.status === 503).length, `503s while ${phase}`).to.be.above(0);
      }
    });

    it('F1, L2: every answer is 200, 401 or 503, and every logout answers 200 and clears both cookies', () => {
      expectNone(observations().filter((o) => ![200, 401, 503].includes(o.status)).map(show), 'answers other than 200, 401, 503');
      expectNone(observations().filter((o) => o.route === 'POST /auth/logout' && (o.status !== 200 || !o.clearedBoth)).map(show), 'logouts not 200 with both cookies cleared');
    });

    it('L2 (contract v2): every logout answers within one store bound plus margin, while Redis is paused too (never two bounds in a row)', () => {
      const logouts = observations().filter((o) => o.route === 'POST /auth/logout');
      expect(pausedLogouts.length, 'logouts of a live session sent while Redis was paused').to.equal(CYCLES);
      expectNone(logouts.filter((o) => o.elapsedMs > BOUND_MS + MARGIN_MS).map(show), `logouts slower than ${BOUND_MS + MARGIN_MS} ms`);
    });

    it('F1, F4: no unhandled rejection and no uncaught exception in the process', () => {
      expectNone(processFaults, 'process-level faults');
    });

    it('F2: after SIGCONT, and after a restart on the same port, the same app serves login → counter → whoami → logout again', () => {
      expectNone(probeFailures, 'failed probes');
      const lastAnswers = observations().slice(-USERS * 4);
      expectNone(lastAnswers.filter((o) => o.status === 503).map(show), 'the load did not recover: 503s at the end');
    });

    it('T7: no acknowledged write is lost while Redis is paused (only the SIGKILL, without persistence, loses sessions)', () => {
      expectNone(load?.losses ?? [], 'acknowledged writes lost');
    });

    it('F5: no session cookie value or session id appears in what the app logged', () => {
      const logs = app?.logs ?? [];
      expect(logs.length, 'the faults were logged').to.be.above(0);
      const leaks = [...(load?.secrets ?? [])].filter((secret) => logs.some((line) => line.includes(secret)));
      expectNone(leaks, 'secrets found in the logs');
    });
  });
}

describeRedisFaults('express');
describeRedisFaults('koa');
