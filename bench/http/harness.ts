/**
 * The HTTP benchmark. Starts a fresh redis-server on a free loopback port, starts every
 * target in its own process, then for each endpoint: pre-logs-in one client per target,
 * warms each target up, and runs the rounds, each round running every target once in the
 * same order (A B C … A B C …). Around each run it reads the app's and Redis's CPU time from
 * /proc, INFO commandstats and the app's count of Redis commands sent. Any non-2xx answer,
 * error, timeout or wrong body fails the benchmark. Everything it started is stopped by PID.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startRedisServer, type RedisServer } from '@sessionware/test-support';
import type { BenchConfig, EndpointId } from '../config.js';
import { packageVersion } from '../results.js';
import type { Runtime } from '../runtime.js';
import { percentile } from '../stats.js';
import { preLogin, runLoad } from './load.js';
import { cpuMicros, startTarget, TARGET_INFO, type RunningTarget } from './targets.js';

/**
 * Calls per command since the server started, from INFO commandstats (the harness's own INFO
 * left out). Redis counts the commands a Lua script runs as well as the EVALSHA that ran it;
 * the targets' own count (`redisCommandsSent`) is the round trips.
 */
async function commandCalls(admin: Redis): Promise<Map<string, number>> {
  const info = await admin.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+),/gm)].filter(([, name]) => name !== 'info').map(([, name = '', count]) => [name, Number(count)]));
}

/** Measures one run of `target` on `endpoint` and checks every answer. */
async function measure(target: RunningTarget, endpoint: EndpointId, cookie: string, config: BenchConfig, redis: { admin: Redis; pid: number }, round: number) {
  const sentBefore = await target.redisCommandsSent();
  const callsBefore = await commandCalls(redis.admin);
  const redisCpuBefore = cpuMicros(redis.pid);
  const appCpuBefore = cpuMicros(target.pid);
  const load = await runLoad(target.url, endpoint, cookie, config.durationSeconds, config);
  const appCpu = cpuMicros(target.pid) - appCpuBefore;
  const redisCpu = cpuMicros(redis.pid) - redisCpuBefore;
  const calls = [...(await commandCalls(redis.admin)).entries()]
    .map(([name, count]): [string, number] => [name, count - (callsBefore.get(name) ?? 0)])
    .filter(([, count]) => count > 0);
  const sent = (await target.redisCommandsSent()) - sentBefore;
  const { requests, non2xx, errors, timeouts, mismatches } = load;
  if (non2xx + errors + timeouts + mismatches > 0 || requests === 0) {
    throw new Error(
      `${target.info.id} ${endpoint} round ${round}: ${requests} responses, ${non2xx} non-2xx (${JSON.stringify(load.statusCodes)}), ` +
        `${errors} errors, ${timeouts} timeouts, ${mismatches} wrong bodies; all must be 0.\nTarget output:\n${target.output()}`,
    );
  }
  const sorted = load.latencies.sort();
  const perRequest = (value: number): number => value / requests;
  return {
    endpoint, target: target.info.id, round, requests, seconds: load.seconds, reqPerSec: requests / load.seconds,
    latencyP50Ms: percentile(sorted, 50), latencyP99Ms: percentile(sorted, 99),
    appCpuUsPerReq: perRequest(appCpu), appCpuShare: appCpu / (load.seconds * 1e6), redisCpuUsPerReq: perRequest(redisCpu),
    redisCallsPerReq: perRequest(calls.reduce((sum, [, count]) => sum + count, 0)),
    redisCallsByCommand: Object.fromEntries(calls.map(([name, count]) => [name, perRequest(count)])),
    redisSentPerReq: perRequest(sent),
    non2xx, errors, timeouts, mismatches,
  };
}

/** One measured run: one target, one endpoint, one round; CPU in µs per request, `redisSentPerReq` the round trips the app's client counted, `redisCalls*` from INFO commandstats. */
export type HttpRun = Awaited<ReturnType<typeof measure>>;
/** The whole HTTP benchmark; `targets` in running order, the first is the baseline. */
export type HttpResults = Awaited<ReturnType<typeof runHttpBenchmark>>;

/** Runs the whole HTTP benchmark. */
export async function runHttpBenchmark(config: BenchConfig, runtime: Runtime, log: (line: string) => void) {
  let server: RedisServer | undefined;
  let admin: Redis | undefined;
  const targets: RunningTarget[] = [];
  try {
    server = await startRedisServer();
    const pid = server.pid;
    if (pid === undefined) throw new Error('redis-server has no PID');
    log(`redis-server pid ${pid} on ${server.url}`);
    admin = new Redis(server.url, { maxRetriesPerRequest: 1 });
    const secret = randomBytes(32).toString('base64url');
    for (const id of config.targets) {
      targets.push(await startTarget(TARGET_INFO[id], { redisUrl: server.url, secret, runtime }));
      log(`started ${id} (pid ${targets.at(-1)?.pid}) at ${targets.at(-1)?.url}`);
    }

    const runs: HttpRun[] = [];
    for (const endpoint of config.endpoints) {
      const cookies: string[] = [];
      for (const target of targets) {
        cookies.push(await preLogin(target.url));
        if (config.warmupSeconds > 0) await runLoad(target.url, endpoint, cookies.at(-1) ?? '', config.warmupSeconds, config);
      }
      log(`${endpoint}: warmed up; ${config.rounds} rounds of ${config.durationSeconds} s per target`);
      for (let round = 1; round <= config.rounds; round += 1) {
        for (const [index, target] of targets.entries()) runs.push(await measure(target, endpoint, cookies[index] ?? '', config, { admin, pid }, round));
        log(`${endpoint} round ${round}: ${runs.slice(-targets.length).map((run) => `${run.target} ${Math.round(run.reqPerSec)}/s ${Math.round(run.appCpuUsPerReq)}µs`).join(' | ')}`);
      }
    }

    const { rounds, durationSeconds, warmupSeconds, connections, loginUsers } = config;
    return {
      runtime: runtime.kind, rounds, durationSeconds, warmupSeconds, connections, loginUsers,
      endpoints: [...config.endpoints],
      targets: targets.map(({ info: { id, label, framework, store, packages } }) => ({
        id, label, framework, store, packages: Object.fromEntries(packages.map((name) => [name, packageVersion(name)])),
      })),
      runs,
    };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    admin?.disconnect();
    await server?.stop();
  }
}
