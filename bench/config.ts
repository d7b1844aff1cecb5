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
  'floor', 'express-session', 'sessionware-express', 'koa-session', 'sessionware-koa', 'sessionware-express-memory', 'sessionware-koa-memory',
] as const;
export type TargetId = (typeof TARGETS)[number];
export const BASELINE: TargetId = 'floor';

/** The benchmark parts `pnpm bench` can run. */
export const PARTS = ['micro', 'http', 'report'] as const;

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} is invalid: expected an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function list<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[]): T[] {
  const values = (env[name] ?? '').split(',').map((value) => value.trim()).filter((value) => value !== '');
  const unknown = values.find((value) => !(allowed as readonly string[]).includes(value));
  if (unknown !== undefined) throw new Error(`${name} is invalid: ${JSON.stringify(unknown)} is not one of ${allowed.join(', ')}`);
  // Keep the canonical order whatever order they were given in; none given: all.
  return values.length === 0 ? [...allowed] : allowed.filter((value) => values.includes(value));
}

/**
 * Reads and validates the settings; a bad value throws with the variable's name. Each
 * variable's meaning and default are in the table of docs/benchmarks.md (bench/report/report.ts).
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env) {
  const targets = list(env, 'BENCH_TARGETS', TARGETS);
  if (!targets.includes(BASELINE)) targets.unshift(BASELINE); // the floor always runs: it is the baseline
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
export type BenchConfig = ReturnType<typeof readConfig>;
