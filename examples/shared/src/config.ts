import type { CookieExpiry, SessionOptions } from '@sessionware/core';

/** The example apps' settings, read from the environment of SPEC §E. */
export interface ExampleConfig {
  port: number;
  redisUrl: string | undefined;
  session: SessionOptions;
}

type Env = Readonly<Record<string, string | undefined>>;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The session option each variable sets: a startup error naming the option is reported under the variable. */
export const ENV_OF_OPTION: Readonly<Record<string, string>> = {
  idleTimeout: 'SESSION_IDLE_TIMEOUT',
  absoluteTimeout: 'SESSION_ABSOLUTE_TIMEOUT',
  'cookie.expiry': 'SESSION_COOKIE_EXPIRY',
};

const invalid = (name: string, expected: string, shown?: string) =>
  new Error(`${name} is invalid: expected ${expected}${shown === undefined ? '' : `, got ${shown}`}`);

/** A variable's value, trimmed; unset or empty is undefined. */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Milliseconds, or a number with a unit (`30s`, `15m`, `12h`, `7d`), above 0. */
function readDuration(env: Env, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  const ms = match === null ? NaN : Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS]);
  if (!Number.isSafeInteger(ms) || ms <= 0) throw invalid(name, 'milliseconds or 30s/15m/12h/7d', JSON.stringify(env[name]));
  return ms;
}

function readPort(env: Env): number {
  const text = read(env, 'PORT');
  if (text === undefined) return 3000;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid('PORT', 'a port number 0–65535', JSON.stringify(env['PORT']));
  return port;
}

/** A redis:// or rediss:// URL. The value is never echoed: it may hold a password. */
function readRedisUrl(env: Env): string | undefined {
  const text = read(env, 'REDIS_URL');
  if (text === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw invalid('REDIS_URL', 'a redis:// or rediss:// URL');
  return text;
}

/**
 * Reads PORT, REDIS_URL, SESSION_* and NODE_ENV. A bad value throws an error naming the
 * variable (`SESSION_IDLE_TIMEOUT is invalid: …`); SESSION_SECRETS is checked by the session factory.
 */
export function readConfig(env: Env = process.env): ExampleConfig {
  const port = readPort(env);
  const session: SessionOptions = { env };
  const idle = readDuration(env, 'SESSION_IDLE_TIMEOUT');
  const absolute = readDuration(env, 'SESSION_ABSOLUTE_TIMEOUT');
  const expiry = read(env, 'SESSION_COOKIE_EXPIRY');
  if (idle !== undefined) session.idleTimeout = idle;
  if (absolute !== undefined) session.absoluteTimeout = absolute;
  if (expiry !== undefined) {
    if (expiry !== 'browser-session' && expiry !== 'persistent') {
      throw invalid('SESSION_COOKIE_EXPIRY', 'browser-session or persistent', JSON.stringify(env['SESSION_COOKIE_EXPIRY']));
    }
    session.cookie = { expiry: expiry satisfies CookieExpiry };
  }
  return { port, redisUrl: readRedisUrl(env), session };
}

/**
 * A startup error of the session factory, reworded to name the variable that set the option
 * (`option idleTimeout is invalid: at most …` → `SESSION_IDLE_TIMEOUT is invalid: at most …`).
 */
export function inEnvTerms(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const match = /^option (\S+) (.*)$/s.exec(error.message);
  const name = match?.[1] === undefined ? undefined : ENV_OF_OPTION[match[1]];
  if (name === undefined || match?.[2] === undefined) return error;
  return new Error(`${name} ${match[2]}`, { cause: error });
}
