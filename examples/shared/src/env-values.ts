/** Reading one environment variable of the example apps: trimmed, unset when empty, each bad value an error naming it. */

export type Env = Readonly<Record<string, string | undefined>>;

export const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The error of a bad variable: `NAME is invalid: expected …, got "…"` (the value only when `shown` is given). */
export const invalid = (name: string, expected: string, shown?: string) =>
  new Error(`${name} is invalid: expected ${expected}${shown === undefined ? '' : `, got ${shown}`}`);

/** A variable's value, trimmed; unset or empty is undefined. */
export function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Milliseconds of `300`, `30s`, `15m`, `12h`, `7d` (or a number of ms); NaN unless whole and above 0. */
export function durationMs(value: number | string): number {
  const match = typeof value === 'number' ? null : /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value);
  const ms = typeof value === 'number' ? value : match === null ? NaN : Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : NaN;
}

/** Milliseconds, or a number with a unit (`30s`, `15m`, `12h`, `7d`), above 0. */
export function readDuration(env: Env, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const ms = durationMs(text);
  if (Number.isNaN(ms)) throw invalid(name, 'milliseconds or 30s/15m/12h/7d', JSON.stringify(env[name]));
  return ms;
}

/** A whole number above 0. */
export function readPositiveInteger(env: Env, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(name, 'a positive integer', JSON.stringify(env[name]));
  return value;
}
