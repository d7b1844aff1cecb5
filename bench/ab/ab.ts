/**
 * A/B of code versions under the same interleaved load, for "measure before you optimise":
 *
 *   node --conditions=sessionware-source --import tsx bench/ab/ab.ts [endpoint] [rounds] [seconds] VARIANT...
 *
 * where each VARIANT is `label=[root:]app[,NAME=value...]`: the app file under
 * `<root>/bench/apps/` (root defaults to this checkout; give another checkout, e.g. a copy of
 * an earlier commit, to compare versions of our packages), plus environment variables of the
 * app (e.g. `BENCH_STORE=redis`). The first variant is the baseline. Each root's packages are
 * compiled as `pnpm bench` compiles them. One fresh redis-server; every round loads every
 * variant once, in order, for `seconds` with 16 connections; prints app CPU µs per request
 * and req/s per round, then the median (and range) of each variant's same-round ratio to the
 * baseline. Nothing is written to bench/results: this is for trying changes, not for the doc.
 */
import { randomBytes } from 'node:crypto';
import { startRedisServer } from '@sessionware/test-support';
import type { EndpointId } from '../config.js';
import { ENDPOINTS } from '../config.js';
import { preLogin, runLoad } from '../http/load.js';
import { cpuMicros } from '../http/proc.js';
import type { RunningTarget } from '../http/targets.js';
import { median } from '../stats.js';
import { compileVariants, parseVariant } from './variant.js';

const [endpointArg = 'whoami', roundsArg = '6', secondsArg = '3', ...variantArgs] = process.argv.slice(2);
if (!(ENDPOINTS as readonly string[]).includes(endpointArg)) throw new Error(`endpoint is invalid: expected one of ${ENDPOINTS.join(', ')}`);
const endpoint = endpointArg as EndpointId;
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error('rounds is invalid: expected a positive integer');
if (!Number.isSafeInteger(seconds) || seconds < 1) throw new Error('seconds is invalid: expected a positive integer');
const variants = variantArgs.map(parseVariant);
if (variants.length < 2) throw new Error('give at least two variants: the baseline first');

const builds = await compileVariants(variants);
const redis = await startRedisServer();
const secret = randomBytes(32).toString('base64url');
const running: RunningTarget[] = [];
try {
  for (const variant of variants) running.push(await builds.start(variant, { redisUrl: redis.url, secret }));
  if (process.env['AB_PIN'] === '1') {
    // The apps on CPU 0, the load generator and Redis on CPU 1: steadier CPU per request.
    const { execFileSync } = await import('node:child_process');
    for (const target of running) execFileSync('taskset', ['-apc', '0', String(target.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-apc', '1', String(process.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-apc', '1', String(redis.pid)], { stdio: 'ignore' });
  }
  const cookies = await Promise.all(running.map((target) => preLogin(target.url)));
  const load = (index: number, duration: number): ReturnType<typeof runLoad> => runLoad({
    baseUrl: running[index]!.url, endpoint, cookie: cookies[index]!, seconds: duration, connections: 16, loginUsers: 0,
  });
  for (const [index] of running.entries()) await load(index, 2);
  const cpu: number[][] = variants.map(() => []);
  const rps: number[][] = variants.map(() => []);
  for (let round = 1; round <= rounds; round += 1) {
    const line: string[] = [];
    for (const [index, target] of running.entries()) {
      const before = cpuMicros(target.pid);
      const result = await load(index, seconds);
      if (result.non2xx + result.errors + result.timeouts + result.mismatches > 0) {
        throw new Error(`${variants[index]!.label}: failed answers ${JSON.stringify(result.statusCodes)}\n${target.output()}`);
      }
      const perRequest = (cpuMicros(target.pid) - before) / result.requests;
      cpu[index]!.push(perRequest);
      rps[index]!.push(result.requests / result.seconds);
      line.push(`${variants[index]!.label} ${perRequest.toFixed(1)} µs ${Math.round(result.requests / result.seconds)}/s`);
    }
    console.log(`round ${round}: ${line.join(' | ')}`);
  }
  const ratio = (values: number[][], index: number): number[] => values[index]!.map((value, round) => value / values[0]![round]!);
  for (const [index, variant] of variants.entries()) {
    const cpuRatios = ratio(cpu, index);
    const rpsRatios = ratio(rps, index);
    console.log(
      `${variant.label.padEnd(24)} CPU ${median(cpu[index]!).toFixed(1)} µs/req, ×base ${median(cpuRatios).toFixed(3)}`
      + ` (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)});`
      + ` req/s ${Math.round(median(rps[index]!))}, ×base ${median(rpsRatios).toFixed(3)}`,
    );
  }
} finally {
  await Promise.all(running.map((target) => target.stop()));
  await redis.stop();
  builds.remove();
}
