import type { Parameters } from 'fast-check';

/**
 * The one knob of the reliability suite: `RELIABILITY_SCALE` multiplies every count (inputs,
 * runs, fault cycles, load). 1 — the default — is the bounded run inside `npm test`;
 * `pnpm reliability` sets a larger one. The tests are the same at every scale.
 */
export const SCALE = readScale(process.env['RELIABILITY_SCALE']);

function readScale(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`RELIABILITY_SCALE is invalid: expected a positive number, got ${JSON.stringify(raw)}`);
  return value;
}

/** `base` at the current scale, at least 1. */
export function scaled(base: number): number {
  return Math.max(1, Math.round(base * SCALE));
}

/**
 * fast-check parameters for `numRuns` runs. A failure prints its seed and path; set
 * `RELIABILITY_SEED` (and `RELIABILITY_PATH`) to replay it.
 */
export function fcOptions<T>(numRuns: number): Parameters<T> {
  const options: Parameters<T> = { numRuns };
  const seed = process.env['RELIABILITY_SEED'];
  const path = process.env['RELIABILITY_PATH'];
  if (seed !== undefined && seed !== '') options.seed = Number(seed);
  if (path !== undefined && path !== '') options.path = path;
  return options;
}
