/**
 * Instructions per request, counted by valgrind (callgrind), for A/B decisions the noisy
 * CPU-time figures cannot resolve:
 *
 *   node --conditions=sessionware-source --import tsx bench/ab/instructions.ts [endpoint] [requests] VARIANT...
 *
 * with the variants of `ab.ts` (`label=[root:]app[,NAME=value...]`). Each variant runs alone
 * under `valgrind --tool=callgrind` (instrumentation off), is logged in and warmed up with
 * `requests` requests of 16 connections, then counts the user-space instructions of the next
 * `requests` requests. The count is repeatable (the same code and input give nearly the same
 * number whatever else the machine does) but leaves out what the kernel does for the process
 * (socket writes and wake-ups) and weighs every instruction the same: a way to see whether a
 * change removed work, not what it is worth in time. Needs valgrind (Debian package valgrind).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startRedisServer } from '@sessionware/test-support';
import { ENDPOINTS, type EndpointId } from '../config.js';
import { preLogin } from '../http/load.js';
import { compileVariants, parseVariant, type Variant } from './variant.js';

const [endpointArg = 'whoami', requestsArg = '6000', ...variantArgs] = process.argv.slice(2);
if (!(ENDPOINTS as readonly string[]).includes(endpointArg) || endpointArg === 'login') {
  throw new Error('endpoint is invalid: expected whoami or counter');
}
const endpoint = endpointArg as EndpointId;
const requests = Number(requestsArg);
if (!Number.isSafeInteger(requests) || requests < 100) throw new Error('requests is invalid: expected an integer of at least 100');
const variants: Variant[] = variantArgs.map(parseVariant);
if (variants.length < 1) throw new Error('give at least one variant');

/** Sends `amount` requests on 16 connections; throws on any answer but 200. */
async function send(url: string, cookie: string, amount: number): Promise<void> {
  const result = await autocannon({
    url: `${url}/${endpoint}`,
    method: endpoint === 'whoami' ? 'GET' : 'POST',
    headers: { cookie },
    connections: 16,
    amount,
    timeout: 120,
  });
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`failed answers: ${JSON.stringify(result.statusCodeStats)}`);
}

/** The total of the instruction (Ir) counts of a callgrind dump file. */
function totalInstructions(file: string): number {
  const line = readFileSync(file, 'utf8').split('\n').find((text) => text.startsWith('summary:') || text.startsWith('totals:'));
  const value = Number(line?.split(/\s+/)[1]);
  if (!Number.isFinite(value)) throw new Error(`no instruction total in ${file}`);
  return value;
}

const builds = await compileVariants(variants);
const redis = await startRedisServer();
const secret = randomBytes(32).toString('base64url');
try {
  for (const variant of variants) {
    const out = mkdtempSync(join(tmpdir(), 'sessionware-callgrind-'));
    const target = await builds.start(variant, {
      redisUrl: redis.url,
      secret,
      wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', '--smc-check=all-non-file', `--callgrind-out-file=${out}/callgrind.out`],
      startTimeoutMs: 600_000,
      // INSTRUCTIONS_NODE_OPTIONS (space-separated): V8 flags for the target, e.g. `--predictable`.
      nodeOptions: (process.env['INSTRUCTIONS_NODE_OPTIONS'] ?? '').split(' ').filter((flag) => flag !== ''),
    });
    try {
      const cookie = await preLogin(target.url);
      await send(target.url, cookie, requests);
      // Instrumentation on (the JIT's code is instrumented from now on), then warm up again
      // under it, so that code compiled meanwhile settles before the counters are zeroed.
      execFileSync('callgrind_control', ['--instr=on', String(target.pid)], { stdio: 'ignore' });
      await send(target.url, cookie, Math.ceil(requests / 4));
      execFileSync('callgrind_control', ['--zero', String(target.pid)], { stdio: 'ignore' });
      await send(target.url, cookie, requests);
      execFileSync('callgrind_control', ['--dump', String(target.pid)], { stdio: 'ignore' });
      const dumps = readdirSync(out).filter((name) => /^callgrind\.out\.\d+$/.test(name)).map((name) => join(out, name));
      const total = dumps.map(totalInstructions).reduce((sum, value) => sum + value, 0);
      console.log(`${variant.label.padEnd(24)} ${(total / requests).toFixed(0)} instructions/request (${requests} requests)`);
    } finally {
      await target.stop();
      // CALLGRIND_KEEP=1 keeps the dumps, for `callgrind_annotate <dir>/callgrind.out.1`.
      if (process.env['CALLGRIND_KEEP'] === '1') console.log(`  dumps kept in ${out}`);
      else rmSync(out, { recursive: true, force: true });
    }
  }
} finally {
  await redis.stop();
  builds.remove();
}
