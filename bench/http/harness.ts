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
import type { Runtime } from '../compiled/runtime.js';
import type { BenchConfig, EndpointId } from '../config.js';
import { packageVersion, type HttpResults, type HttpRun } from '../results.js';
import { percentile } from '../stats.js';
import { preLogin, runLoad } from './load.js';
import { cpuMicros } from './proc.js';
import { callDelta, commandCalls } from './redis-stats.js';
import { startTarget, TARGET_INFO, type RunningTarget } from './targets.js';

type Log = (line: string) => void;

/** Measures one run of `target` on `endpoint` and checks every answer. */
async function measure(
  target: RunningTarget,
  endpoint: EndpointId,
  cookie: string,
  seconds: number,
  config: Pick<BenchConfig, 'connections' | 'loginUsers'>,
  redis: { admin: Redis; pid: number },
  round: number,
): Promise<HttpRun> {
  const sentBefore = await target.redisCommandsSent();
  const callsBefore = await commandCalls(redis.admin);
  const redisCpuBefore = cpuMicros(redis.pid);
  const appCpuBefore = cpuMicros(target.pid);
  const load = await runLoad({ baseUrl: target.url, endpoint, cookie, seconds, connections: config.connections, loginUsers: config.loginUsers });
  const appCpu = cpuMicros(target.pid) - appCpuBefore;
  const redisCpu = cpuMicros(redis.pid) - redisCpuBefore;
  const calls = callDelta(callsBefore, await commandCalls(redis.admin));
  const sent = (await target.redisCommandsSent()) - sentBefore;

  const failed = load.non2xx + load.errors + load.timeouts + load.mismatches;
  if (failed > 0 || load.requests === 0) {
    throw new Error(
      `${target.info.id} ${endpoint} round ${round}: ${load.requests} responses, ${load.non2xx} non-2xx ` +
        `(${JSON.stringify(load.statusCodes)}), ${load.errors} errors, ${load.timeouts} timeouts, ` +
        `${load.mismatches} wrong bodies; all must be 0.\nTarget output:\n${target.output()}`,
    );
  }
  const requests = load.requests;
  const sorted = load.latencies.sort();
  const perRequest = (value: number): number => value / requests;
  const callsTotal = Object.values(calls).reduce((sum, value) => sum + value, 0);
  return {
    endpoint,
    target: target.info.id,
    round,
    requests,
    seconds: load.seconds,
    reqPerSec: requests / load.seconds,
    latencyP50Ms: percentile(sorted, 50),
    latencyP99Ms: percentile(sorted, 99),
    appCpuUsPerReq: perRequest(appCpu),
    appCpuShare: appCpu / (load.seconds * 1e6),
    redisCpuUsPerReq: perRequest(redisCpu),
    redisCallsPerReq: perRequest(callsTotal),
    redisCallsByCommand: Object.fromEntries(Object.entries(calls).map(([name, count]) => [name, perRequest(count)])),
    redisSentPerReq: perRequest(sent),
    non2xx: load.non2xx,
    errors: load.errors,
    timeouts: load.timeouts,
    mismatches: load.mismatches,
  };
}

/** Runs the whole HTTP benchmark. */
export async function runHttpBenchmark(config: BenchConfig, runtime: Runtime, log: Log): Promise<HttpResults> {
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
      const target = await startTarget(TARGET_INFO[id], { redisUrl: server.url, secret, runtime });
      targets.push(target);
      log(`started ${id} (pid ${target.pid}) at ${target.url}`);
    }

    const runs: HttpRun[] = [];
    const redis = { admin, pid };
    for (const endpoint of config.endpoints) {
      const cookies = new Map<RunningTarget, string>();
      for (const target of targets) {
        const cookie = await preLogin(target.url);
        cookies.set(target, cookie);
        if (config.warmupSeconds > 0) {
          await runLoad({ baseUrl: target.url, endpoint, cookie, seconds: config.warmupSeconds, connections: config.connections, loginUsers: config.loginUsers });
        }
      }
      log(`${endpoint}: warmed up; ${config.rounds} rounds of ${config.durationSeconds} s per target`);
      for (let round = 1; round <= config.rounds; round += 1) {
        const line: string[] = [];
        for (const target of targets) {
          const run = await measure(target, endpoint, cookies.get(target) ?? '', config.durationSeconds, config, redis, round);
          runs.push(run);
          line.push(`${target.info.id} ${Math.round(run.reqPerSec)}/s ${Math.round(run.appCpuUsPerReq)}µs`);
        }
        log(`${endpoint} round ${round}: ${line.join(' | ')}`);
      }
    }

    return {
      runtime: runtime.kind,
      rounds: config.rounds,
      durationSeconds: config.durationSeconds,
      warmupSeconds: config.warmupSeconds,
      connections: config.connections,
      loginUsers: config.loginUsers,
      endpoints: [...config.endpoints],
      targets: targets.map(({ info }) => ({
        id: info.id,
        label: info.label,
        framework: info.framework,
        store: info.store,
        packages: Object.fromEntries(info.packages.map((name) => [name, packageVersion(name)])),
      })),
      runs,
    };
  } finally {
    await Promise.all(targets.map((target) => target.stop()));
    admin?.disconnect();
    await server?.stop();
  }
}
