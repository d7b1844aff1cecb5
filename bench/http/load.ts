/**
 * The load: autocannon on loopback, a fixed duration and connection count, no pipelining.
 * Every response is checked (status 2xx and a body of the expected shape); latencies are
 * recorded from autocannon's `response` events in fractional milliseconds (its own histogram
 * keeps whole milliseconds, too coarse on loopback).
 */
import autocannon from 'autocannon';
import type { BenchConfig, EndpointId } from '../config.js';

const USERNAME = 'bench';

/** How each endpoint is requested (with the pre-logged-in cookie or with a login body), and what a right answer contains. */
const REQUESTS: Readonly<Record<EndpointId, { method: 'GET' | 'POST'; path: string; authenticated: boolean; expect: string }>> = {
  whoami: { method: 'GET', path: '/whoami', authenticated: true, expect: `"username":"${USERNAME}"` },
  counter: { method: 'POST', path: '/counter', authenticated: true, expect: '"counter":' },
  login: { method: 'POST', path: '/login', authenticated: false, expect: `"username":"${USERNAME}-` },
};

let runNumber = 0;

/**
 * The body of each login request: a new user each time (`bench-<run>-<n>`, loginUsers 0), or
 * the same few users again and again (`bench-u<n mod loginUsers>`), so each collects sessions.
 */
function loginBodies(loginUsers: number): () => string {
  runNumber += 1;
  const run = `${process.pid.toString(36)}${runNumber.toString(36)}`;
  let n = 0;
  return () => {
    n += 1;
    return JSON.stringify({ username: loginUsers === 0 ? `${USERNAME}-${run}-${n.toString(36)}` : `${USERNAME}-u${n % loginUsers}` });
  };
}

/** What one load run measured: responses, wall seconds, every latency (ms), the failures of each kind (mismatches: wrong bodies). */
type LoadResult = Record<'requests' | 'seconds' | 'non2xx' | 'errors' | 'timeouts' | 'mismatches', number> & { latencies: Float64Array; statusCodes: Record<string, number> };

/** Logs in with a fresh client and answers the Cookie header to send (each Set-Cookie's `name=value`), checked on `GET /whoami`. */
export async function preLogin(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERNAME }) });
  const text = await login.text();
  if (login.status !== 200) throw new Error(`pre-login answered ${login.status}: ${text}`);
  const cookie = login.headers.getSetCookie()
    .map((header) => header.split(';', 1)[0] ?? '')
    .filter((pair) => pair.includes('=') && !pair.endsWith('='))
    .join('; ');
  const check = await fetch(`${baseUrl}/whoami`, { headers: { cookie } });
  const checkText = await check.text();
  if (check.status !== 200 || !checkText.includes(REQUESTS.whoami.expect)) throw new Error(`GET /whoami after pre-login answered ${check.status}: ${checkText}`);
  return cookie;
}

/** Runs autocannon against one endpoint of a target for `seconds`; `loginUsers` as in {@link loginBodies}. */
export function runLoad(baseUrl: string, endpoint: EndpointId, cookie: string, seconds: number, { connections, loginUsers }: Pick<BenchConfig, 'connections' | 'loginUsers'>): Promise<LoadResult> {
  const request = REQUESTS[endpoint];
  const nextBody = loginBodies(loginUsers);
  const headers: Record<string, string> = request.authenticated ? { cookie } : { 'content-type': 'application/json' };
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${baseUrl}${request.path}`,
        method: request.method,
        headers,
        ...(request.authenticated ? {} : { requests: [{ setupRequest: (next: autocannon.Request) => ({ ...next, body: nextBody() }) }] }),
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 10,
        verifyBody: (body) => typeof body === 'string' && body.includes(request.expect),
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count ?? 0]));
        const { non2xx, errors, timeouts, mismatches } = result;
        resolve({ requests: latencies.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies: Float64Array.from(latencies), non2xx, errors, timeouts, mismatches, statusCodes });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
  });
}
