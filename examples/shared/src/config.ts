import type { CookieExpiry, Duration, SessionOptions } from '@sessionware/core';

/** The example apps' settings, read from the environment of SPEC §E. */
export interface ExampleConfig {
  port: number;
  redisUrl: string | undefined;
  session: SessionOptions;
}

/** Reads PORT, REDIS_URL, SESSION_* and NODE_ENV. Bad values are reported by the session factory. */
export function readConfig(env: Readonly<Record<string, string | undefined>> = process.env): ExampleConfig {
  const rawPort = env['PORT']?.trim();
  const port = rawPort === undefined || rawPort === '' ? 3000 : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT is invalid: expected a port number, got ${JSON.stringify(env['PORT'])}`);
  }
  const session: SessionOptions = { env };
  const idle = env['SESSION_IDLE_TIMEOUT'];
  const absolute = env['SESSION_ABSOLUTE_TIMEOUT'];
  const expiry = env['SESSION_COOKIE_EXPIRY'];
  if (idle !== undefined) session.idleTimeout = idle as Duration;
  if (absolute !== undefined) session.absoluteTimeout = absolute as Duration;
  if (expiry !== undefined) session.cookie = { expiry: expiry as CookieExpiry };
  const redisUrl = env['REDIS_URL']?.trim();
  return { port, redisUrl: redisUrl === undefined || redisUrl === '' ? undefined : redisUrl, session };
}
