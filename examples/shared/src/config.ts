import type { CookieExpiry, SessionOptions } from '@sessionware/core';

/** One `host:port` of REDIS_CLUSTER_NODES or REDIS_SENTINELS. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Which Redis the examples use (SPEC §E, S2): at most one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS. */
export type RedisConnection =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: RedisNode[] }
  | { mode: 'sentinel'; sentinels: RedisNode[]; name: string };

/**
 * The session policies of contract v2 read from the environment (SPEC P2, P4), in
 * milliseconds and counts; {@link sessionPolicyOptions} turns them into session options.
 */
export interface SessionPolicies {
  /** SESSION_RENEWAL_INTERVAL; unset: no renewal. */
  renewalInterval?: number;
  /** SESSION_RENEWAL_GRACE; unset: the engine's default (30 s). */
  renewalGrace?: number;
  /** SESSION_MAX_PER_USER; unset: no cap. */
  maxSessionsPerUser?: number;
}

/** The example apps' settings, read from the environment of SPEC §E. */
export interface ExampleConfig {
  port: number;
  /** Unset: the embedded MemoryStore and a users table in process memory. */
  redis: RedisConnection | undefined;
  /** SESSION_FRESH_AGE in milliseconds: how recent an authentication `GET /sensitive` needs (SPEC P3). */
  freshAgeMs: number;
  policies: SessionPolicies;
  session: SessionOptions;
}

type Env = Readonly<Record<string, string | undefined>>;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** SESSION_FRESH_AGE when unset (SPEC §E). */
export const DEFAULT_FRESH_AGE_MS = 5 * UNIT_MS.m;

/** The session option each variable sets: a startup error naming the option is reported under the variable. */
export const ENV_OF_OPTION: Readonly<Record<string, string>> = {
  idleTimeout: 'SESSION_IDLE_TIMEOUT',
  absoluteTimeout: 'SESSION_ABSOLUTE_TIMEOUT',
  'cookie.expiry': 'SESSION_COOKIE_EXPIRY',
  renewalInterval: 'SESSION_RENEWAL_INTERVAL',
  renewalGrace: 'SESSION_RENEWAL_GRACE',
  maxSessionsPerUser: 'SESSION_MAX_PER_USER',
};

/** The variables that choose a Redis; at most one may be set. */
const REDIS_VARIABLES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

const invalid = (name: string, expected: string, shown?: string) =>
  new Error(`${name} is invalid: expected ${expected}${shown === undefined ? '' : `, got ${shown}`}`);

/** A variable's value, trimmed; unset or empty is undefined. */
function read(env: Env, name: string): string | undefined {
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
function readDuration(env: Env, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const ms = durationMs(text);
  if (Number.isNaN(ms)) throw invalid(name, 'milliseconds or 30s/15m/12h/7d', JSON.stringify(env[name]));
  return ms;
}

/** A whole number above 0. */
function readPositiveInteger(env: Env, name: string): number | undefined {
  const text = read(env, name);
  if (text === undefined) return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(name, 'a positive integer', JSON.stringify(env[name]));
  return value;
}

function readPort(env: Env): number {
  const text = read(env, 'PORT');
  if (text === undefined) return 3000;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid('PORT', 'a port number 0–65535', JSON.stringify(env['PORT']));
  return port;
}

/** A redis:// or rediss:// URL. The value is never echoed: it may hold a password. */
function parseRedisUrl(text: string): string {
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
 * Comma-separated `host:port` entries (a host name, IPv4, or `[IPv6]`; port 1–65535). The
 * value is never echoed (an entry mistaken for a URL may hold a password): the message names
 * the bad entry by its position.
 */
function parseNodes(name: string, text: string): RedisNode[] {
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.map((entry, index) => {
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || !(port >= 1 && port <= 65535)) {
      throw invalid(name, `comma-separated host:port entries (entry ${index + 1} of ${entries.length} is not host:port)`);
    }
    return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
  });
}

/** REDIS_URL, REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME: at most one Redis. */
function readRedis(env: Env): RedisConnection | undefined {
  const set = REDIS_VARIABLES.filter((name) => read(env, name) !== undefined);
  if (set.length > 1) throw new Error(`${set.join(' and ')} are set together: set only one of ${REDIS_VARIABLES.join(', ')}`);
  const sentinelName = read(env, 'REDIS_SENTINEL_NAME');
  if (sentinelName !== undefined && set[0] !== 'REDIS_SENTINELS') throw new Error('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS');
  const url = read(env, 'REDIS_URL');
  if (url !== undefined) return { mode: 'standalone', url: parseRedisUrl(url) };
  const clusterNodes = read(env, 'REDIS_CLUSTER_NODES');
  if (clusterNodes !== undefined) return { mode: 'cluster', nodes: parseNodes('REDIS_CLUSTER_NODES', clusterNodes) };
  const sentinels = read(env, 'REDIS_SENTINELS');
  if (sentinels === undefined) return undefined;
  const nodes = parseNodes('REDIS_SENTINELS', sentinels);
  if (sentinelName === undefined) throw new Error('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name of the monitored primary');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(sentinelName)) {
    throw invalid('REDIS_SENTINEL_NAME', 'a primary name of letters, digits, ".", "_" or "-"', JSON.stringify(env['REDIS_SENTINEL_NAME']));
  }
  return { mode: 'sentinel', sentinels: nodes, name: sentinelName };
}

/** SESSION_RENEWAL_INTERVAL, SESSION_RENEWAL_GRACE and SESSION_MAX_PER_USER (SPEC P2, P4). */
function readPolicies(env: Env): SessionPolicies {
  const policies: SessionPolicies = {};
  const renewalInterval = readDuration(env, 'SESSION_RENEWAL_INTERVAL');
  const renewalGrace = readDuration(env, 'SESSION_RENEWAL_GRACE');
  const maxSessionsPerUser = readPositiveInteger(env, 'SESSION_MAX_PER_USER');
  if (renewalInterval !== undefined) policies.renewalInterval = renewalInterval;
  if (renewalGrace !== undefined) policies.renewalGrace = renewalGrace;
  if (maxSessionsPerUser !== undefined) policies.maxSessionsPerUser = maxSessionsPerUser;
  return policies;
}

/**
 * Reads PORT, the Redis variables, SESSION_* and NODE_ENV. A bad value throws an error naming
 * the variable (`SESSION_IDLE_TIMEOUT is invalid: …`); SESSION_SECRETS is checked by the session factory.
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
  const freshAgeMs = readDuration(env, 'SESSION_FRESH_AGE') ?? DEFAULT_FRESH_AGE_MS;
  const policies = readPolicies(env);
  return { port, redis: readRedis(env), freshAgeMs, policies, session };
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
