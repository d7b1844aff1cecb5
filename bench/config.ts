/**
 * The benchmark's settings, read once from the environment. The defaults give a full run
 * (micro-benchmarks, then 3 endpoints × 7 targets × 6 rounds of 3 s, plus a 2 s warm-up of
 * each pair) of about 8 minutes on a 2-core machine.
 */

/** The endpoints measured, in the order they run. */
export const ENDPOINTS = ['whoami', 'counter', 'login'] as const;
export type EndpointId = (typeof ENDPOINTS)[number];

/** The targets, in the order they run within a round; the first is the baseline of every ratio. */
export const TARGETS = [
  'floor',
  'express-session',
  'sessionware-express',
  'koa-session',
  'sessionware-koa',
  'sessionware-express-memory',
  'sessionware-koa-memory',
] as const;
export type TargetId = (typeof TARGETS)[number];
export const BASELINE: TargetId = 'floor';

/** The benchmark parts `pnpm bench` can run. */
export const PARTS = ['micro', 'http', 'report'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchConfig {
  /** BENCH_PARTS: which parts run. @default micro,http,report */
  readonly parts: readonly Part[];
  /** BENCH_ROUNDS: interleaved rounds per endpoint (every target once per round). @default 6 */
  readonly rounds: number;
  /** BENCH_DURATION: seconds of load per target per round. @default 3 */
  readonly durationSeconds: number;
  /** BENCH_WARMUP: seconds of unmeasured load per target and endpoint before the rounds. @default 2 */
  readonly warmupSeconds: number;
  /** BENCH_CONNECTIONS: concurrent HTTP connections (keep-alive, no pipelining). @default 16 */
  readonly connections: number;
  /** BENCH_ENDPOINTS: which endpoints. @default whoami,counter,login */
  readonly endpoints: readonly EndpointId[];
  /** BENCH_TARGETS: which targets; the floor is always included (it is the baseline). @default all */
  readonly targets: readonly TargetId[];
  /**
   * BENCH_LOGIN_USERS: how many distinct users the login endpoint logs in. 0: a new user per
   * request, so each user has one session (the common case). N: the same N users again and
   * again, so each collects sessions (the case of one account logging in very often).
   * @default 0
   */
  readonly loginUsers: number;
  /** BENCH_MICRO_RUNS: timed runs per micro-benchmark; the median is reported. @default 7 */
  readonly microRuns: number;
  /** BENCH_MICRO_RUN_MS: target length of one timed micro run, in milliseconds. @default 250 */
  readonly microRunMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${name} is invalid: expected an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function list<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [...allowed];
  const values = raw.split(',').map((value) => value.trim()).filter((value) => value !== '');
  for (const value of values) {
    if (!(allowed as readonly string[]).includes(value)) {
      throw new Error(`${name} is invalid: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
    }
  }
  // Keep the canonical order whatever order they were given in.
  return allowed.filter((value) => values.includes(value));
}

/** Reads and validates the settings; a bad value throws with the variable's name. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const targets = list(env, 'BENCH_TARGETS', TARGETS);
  if (!targets.includes(BASELINE)) targets.unshift(BASELINE);
  return Object.freeze({
    parts: list(env, 'BENCH_PARTS', PARTS),
    rounds: integer(env, 'BENCH_ROUNDS', 6),
    durationSeconds: integer(env, 'BENCH_DURATION', 3),
    warmupSeconds: integer(env, 'BENCH_WARMUP', 2, 0),
    connections: integer(env, 'BENCH_CONNECTIONS', 16),
    endpoints: list(env, 'BENCH_ENDPOINTS', ENDPOINTS),
    targets,
    loginUsers: integer(env, 'BENCH_LOGIN_USERS', 0, 0),
    microRuns: integer(env, 'BENCH_MICRO_RUNS', 7),
    microRunMs: integer(env, 'BENCH_MICRO_RUN_MS', 250),
  });
}
