/**
 * Micro-benchmarks of the per-request core path without HTTP or network I/O (cookie verify
 * with the cache on and off, SPEC K5; engine open + commit on MemoryStore), the median ns/op
 * of `runs` timed runs after a calibrating warm-up. Each runtime runs them in a fresh process
 * (`runMicroInChild()` starts this file): cases back over IPC, log lines on stdout.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SessionEngine } from '@sessionware/core';
import type { MicroCase } from '../results.js';
import type { Runtime } from '../runtime.js';
import { median } from '../stats.js';

type Options = { runs: number; runMs: number };
const USER = { id: 'user-1', username: 'bench', emailConfirmed: false };

/** Runs the micro-benchmarks on `runtime` in a child process and answers its cases. */
export function runMicroInChild(runtime: Runtime, { runs, runMs }: Options): Promise<MicroCase[]> {
  const child = spawn(process.execPath, [...runtime.nodeArgs, fileURLToPath(import.meta.url)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_ENV: 'production', BENCH_RUNTIME: runtime.kind, BENCH_MICRO_RUNS: String(runs), BENCH_MICRO_RUN_MS: String(runMs) },
  });
  return new Promise((resolve, reject) => {
    let cases: MicroCase[] | undefined;
    child.on('message', (message: MicroCase[]) => void (cases = message));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (cases !== undefined && code === 0) resolve(cases);
      else reject(new Error(`micro-benchmarks (${runtime.kind}) exited with ${signal ?? code} without results`));
    });
  });
}

/** Logs a user in on `engine` as the HTTP targets do, and answers the Cookie header of that session. */
async function loggedInCookie(engine: SessionEngine): Promise<string> {
  let values: string[] = [];
  const request = await engine.open({ cookieHeader: undefined, secure: false, setCookies: (set) => { values = set; } });
  await request.session.login(USER.id);
  await request.commit();
  const cookie = values.map((value) => value.split(';', 1)[0] ?? '').join('; ');
  if (!cookie.includes('=')) throw new Error('micro: login set no cookie');
  return cookie;
}

/** Times `op`; see the file comment. */
async function time(op: () => Promise<unknown>, runs: number, runMs: number): Promise<{ nsPerOp: number; runsNsPerOp: number[]; iterations: number }> {
  const budget = BigInt(runMs) * 1_000_000n;
  let calibrated = 0;
  const warmStart = process.hrtime.bigint();
  for (; process.hrtime.bigint() - warmStart < budget; calibrated += 1) await op();
  const iterations = Math.max(10, Math.round((calibrated * runMs * 1e6) / Number(process.hrtime.bigint() - warmStart)));
  const runsNsPerOp: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) await op();
    runsNsPerOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return { nsPerOp: median(runsNsPerOp), runsNsPerOp, iterations };
}

/** Runs every micro-benchmark in this process. */
async function runMicroBenchmarks(options: Options, log: (line: string) => void): Promise<MicroCase[]> {
  // Imported only here, in the child: the parent process never loads our packages.
  const [{ createSessionEngine, MemoryStore }, { compactVerify }] = await Promise.all([import('@sessionware/core'), import('jose')]);
  const engineWith = (secret: string, verifyCacheSize: number): SessionEngine => createSessionEngine({
    store: new MemoryStore(),
    secrets: secret,
    verifyCacheSize,
    loadUser: (id) => (id === USER.id ? { ...USER } : null),
    env: { NODE_ENV: 'production' },
    logger: { warn: () => undefined, error: (message) => console.error(message) },
  });
  const secret = randomBytes(32).toString('base64url');
  const cached = engineWith(secret, 10_000);
  const uncached = engineWith(secret, 0);
  const cachedCookie = await loggedInCookie(cached);
  const uncachedCookie = await loggedInCookie(uncached);
  const token = /sw\.sid=([^;]+)/.exec(cachedCookie)?.[1];
  if (token === undefined) throw new Error('micro: no sw.sid cookie after login');

  // The same check as the signer's, written with node:crypto: HMAC-SHA256 over "header.payload".
  const key = new TextEncoder().encode(secret);
  const dot = token.lastIndexOf('.');
  const [signingInput, signature] = [token.slice(0, dot), Buffer.from(token.slice(dot + 1), 'base64url')];
  const noCookies = (): void => undefined;
  const open = (engine: SessionEngine, cookieHeader: string | undefined) => engine.open({ cookieHeader, secure: false, setCookies: noCookies });
  const read = (engine: SessionEngine, cookieHeader: string) => async () => {
    const request = await open(engine, cookieHeader);
    if (request.session.user === undefined) throw new Error('micro: the session lost its user');
    await request.commit();
  };

  const cases: Array<[id: string, label: string, op: () => Promise<unknown>]> = [
    ['jose-verify', 'jose compactVerify (HS256) of a session cookie', () => compactVerify(token, key, { algorithms: ['HS256'] })],
    ['hmac-verify', 'node:crypto HMAC-SHA256 check of the same token', async () => {
      if (!timingSafeEqual(createHmac('sha256', key).update(signingInput).digest(), signature)) throw new Error('micro: HMAC mismatch');
    }],
    ['open-cache', 'engine.open(), verify cache on (verifyCacheSize 10000)', () => open(cached, cachedCookie)],
    ['open-nocache', 'engine.open(), verify cache off (verifyCacheSize 0)', () => open(uncached, uncachedCookie)],
    ['read-commit', 'open + read session.user + commit (authenticated read)', read(cached, cachedCookie)],
    ['read-commit-nocache', 'the same, verify cache off', read(uncached, uncachedCookie)],
    ['write-commit', 'open + increment one key + commit (session write)', async () => {
      const request = await open(cached, cachedCookie);
      const previous = request.session['counter'];
      request.session['counter'] = (typeof previous === 'number' ? previous : 0) + 1;
      await request.commit();
    }],
    ['anonymous', 'open + commit without a cookie (no store call)', async () => (await open(cached, undefined)).commit()],
  ];

  const results: MicroCase[] = [];
  for (const [id, label, op] of cases) {
    const { nsPerOp, runsNsPerOp, iterations } = await time(op, options.runs, options.runMs);
    results.push({ id, label, nsPerOp, runsNsPerOp, iterationsPerRun: iterations });
    log(`micro ${id}: ${(nsPerOp / 1000).toFixed(2)} µs/op (median of ${options.runs})`);
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = { runs: Number(process.env['BENCH_MICRO_RUNS']), runMs: Number(process.env['BENCH_MICRO_RUN_MS']) };
  const cases = await runMicroBenchmarks(options, (line) => console.log(`[bench] ${process.env['BENCH_RUNTIME'] ?? ''} ${line}`));
  process.send?.(cases, () => process.exit(0));
}
