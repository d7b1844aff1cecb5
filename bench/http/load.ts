/**
 * The load: autocannon on loopback, a fixed duration and connection count, no pipelining.
 * Every response is checked (status 2xx and a body of the expected shape); latencies are
 * recorded from autocannon's `response` events in fractional milliseconds (its own histogram
 * keeps whole milliseconds, too coarse on loopback).
 */
import autocannon from 'autocannon';
import type { EndpointId } from '../config.js';

/** How each endpoint is requested, and what a right answer contains. */
interface EndpointRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Sent with the pre-logged-in session cookie. */
  authenticated: boolean;
  /** Sends a login body, `{"username"}`, a new one per request (see {@link loginBodies}). */
  loginBody: boolean;
  expect: string;
}

export const USERNAME = 'bench';

const REQUESTS: Readonly<Record<EndpointId, EndpointRequest>> = {
  whoami: { method: 'GET', path: '/whoami', authenticated: true, loginBody: false, expect: `"username":"${USERNAME}"` },
  counter: { method: 'POST', path: '/counter', authenticated: true, loginBody: false, expect: '"counter":' },
  login: { method: 'POST', path: '/login', authenticated: false, loginBody: true, expect: `"username":"${USERNAME}-` },
};

let runNumber = 0;

/**
 * The username of each login request: `bench-<run>-<n>`, a new user each time (loginUsers 0),
 * or `bench-u<n mod loginUsers>`, the same few users again and again, so that each of them
 * collects sessions.
 */
function loginBodies(loginUsers: number): () => string {
  runNumber += 1;
  const run = `${process.pid.toString(36)}${runNumber.toString(36)}`;
  let n = 0;
  return () => {
    n += 1;
    const username = loginUsers === 0 ? `${USERNAME}-${run}-${n.toString(36)}` : `${USERNAME}-u${n % loginUsers}`;
    return JSON.stringify({ username });
  };
}

/** What one load run measured. */
export interface LoadResult {
  /** Responses received. */
  requests: number;
  /** Wall time of the run, seconds. */
  seconds: number;
  /** Latency of every response, milliseconds. */
  latencies: Float64Array;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses whose body lacked the expected content. */
  mismatches: number;
  statusCodes: Record<string, number>;
}

/**
 * Logs in with a fresh client and answers the Cookie header to send: each Set-Cookie's
 * `name=value`. Checks that `GET /whoami` with it answers 200.
 */
export async function preLogin(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USERNAME }),
  });
  const text = await login.text();
  if (login.status !== 200) throw new Error(`pre-login answered ${login.status}: ${text}`);
  const cookie = login.headers.getSetCookie()
    .map((header) => header.split(';', 1)[0] ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('='))
    .join('; ');
  const check = await fetch(`${baseUrl}/whoami`, { headers: { cookie } });
  const checkText = await check.text();
  if (check.status !== 200 || !checkText.includes(REQUESTS.whoami.expect)) {
    throw new Error(`GET /whoami after pre-login answered ${check.status}: ${checkText}`);
  }
  return cookie;
}

/** Runs autocannon against one endpoint of a target. */
export function runLoad(options: {
  baseUrl: string;
  endpoint: EndpointId;
  cookie: string;
  seconds: number;
  connections: number;
  /** See {@link loginBodies}. */
  loginUsers: number;
}): Promise<LoadResult> {
  const request = REQUESTS[options.endpoint];
  const headers: Record<string, string> = {};
  if (request.authenticated) headers['cookie'] = options.cookie;
  if (request.loginBody) headers['content-type'] = 'application/json';
  const nextBody = loginBodies(options.loginUsers);
  let latencies = new Float64Array(65_536);
  let count = 0;
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.baseUrl}${request.path}`,
        method: request.method,
        headers,
        ...(request.loginBody ? { requests: [{ setupRequest: (next: autocannon.Request) => ({ ...next, body: nextBody() }) }] } : {}),
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 10,
        verifyBody: (body) => typeof body === 'string' && body.includes(request.expect),
      },
      (error: unknown, result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const statusCodes: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
        resolve({
          requests: count,
          seconds,
          latencies: latencies.slice(0, count),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches: result.mismatches,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count] = responseTime;
      count += 1;
    });
  });
}
