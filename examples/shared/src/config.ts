import type { CookieExpiry, SessionOptions } from '@sessionware/core';
import { invalid, read, readDuration, readPositiveInteger, UNIT_MS, type Env } from './env-values.js';
import { readRedis, type RedisConnection } from './redis-config.js';

/**
 * The session policies of contract v2 read from the environment (SPEC P2, P4), in
 * milliseconds and counts: the session options `renewalInterval`, `renewalGrace`, `maxSessionsPerUser`.
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

function readPort(env: Env): number {
  const text = read(env, 'PORT');
  if (text === undefined) return 3000;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw invalid('PORT', 'a port number 0–65535', JSON.stringify(env['PORT']));
  return port;
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
  Object.assign(session, sessionPolicyOptions(policies));
  return { port, redis: readRedis(env), freshAgeMs, policies, session };
}

/**
 * The one place the policies of the environment become options of `session()` (SPEC P2, P4):
 * renewal (`renewalInterval`, `renewalGrace`) and the per-user cap (`maxSessionsPerUser`,
 * ending the least recently seen sessions beyond it, the engine's default `onLimit`).
 */
function sessionPolicyOptions(policies: SessionPolicies): Pick<SessionOptions, 'renewalInterval' | 'renewalGrace' | 'maxSessionsPerUser'> {
  const options: Pick<SessionOptions, 'renewalInterval' | 'renewalGrace' | 'maxSessionsPerUser'> = {};
  if (policies.renewalInterval !== undefined) options.renewalInterval = policies.renewalInterval;
  if (policies.renewalGrace !== undefined) options.renewalGrace = policies.renewalGrace;
  if (policies.maxSessionsPerUser !== undefined) options.maxSessionsPerUser = policies.maxSessionsPerUser;
  return options;
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
