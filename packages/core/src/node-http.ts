import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestSession, SessionEngine } from './engine.js';

/**
 * The shared node-http layer the Express and Koa adapters sit on: it turns a Node request
 * into the engine's input, writes Set-Cookie on the Node response, and holds the response
 * until the session is committed. It contains no session rule.
 */

/** True when the request arrived over TLS, or (only with `trustProxy`) `X-Forwarded-Proto: https`. */
export function isSecureRequest(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustProxy) return false;
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** Sets our Set-Cookie values on the response, replacing earlier ones of ours, keeping others'. */
function writeSetCookies(res: ServerResponse, names: readonly string[], values: string[]): void {
  if (res.headersSent) {
    throw new Error('sessionware: session cookies changed after the response headers were sent; call session.save() before streaming');
  }
  const existing = res.getHeader('set-cookie');
  const others = (existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)])
    .filter((value) => !names.some((name) => value.startsWith(`${name}=`)));
  res.setHeader('set-cookie', [...others, ...values]);
}

/** Opens the engine's session for a Node request/response pair. */
export function openNodeSession(engine: SessionEngine, req: IncomingMessage, res: ServerResponse): Promise<RequestSession> {
  const { cookie, trustProxy } = engine.options;
  const names = cookie.indicator === false ? [cookie.name] : [cookie.name, cookie.indicator];
  return engine.open({
    cookieHeader: req.headers.cookie,
    secure: isSecureRequest(req, trustProxy),
    userAgent: req.headers['user-agent'],
    setCookies: (values) => writeSetCookies(res, names, values),
  });
}

type Held = 'writeHead' | 'write' | 'end' | 'flushHeaders';

/**
 * Holds the first `write`/`end`/`flushHeaders` (and any `writeHead` before it) until `commit`
 * settles, so session changes are stored and Set-Cookie is set before the headers go out
 * (SPEC T7). On success the held calls run in order; on failure they are dropped and
 * `onError` gets the error (the framework's error path answers, e.g. 503).
 */
export function holdResponseUntilCommitted(
  res: ServerResponse,
  commit: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  const held: Array<[Held, unknown[]]> = [];
  let phase: 'open' | 'committing' | 'done' = 'open';

  const restore = (): void => {
    Object.assign(res, original);
  };
  const start = (): void => {
    if (phase !== 'open') return;
    phase = 'committing';
    commit().then(
      () => {
        phase = 'done';
        restore();
        for (const [method, args] of held.splice(0)) {
          (original[method] as (...a: unknown[]) => unknown).apply(res, args);
        }
      },
      (error: unknown) => {
        phase = 'done';
        restore();
        held.length = 0;
        onError(error);
      },
    );
  };
  const hold = (method: Held, startsCommit: boolean) =>
    function (this: ServerResponse, ...args: unknown[]): unknown {
      if (phase === 'done') return (original[method] as (...a: unknown[]) => unknown).apply(res, args);
      held.push([method, args]);
      if (startsCommit) start();
      return method === 'write' ? true : res;
    };
  res.writeHead = hold('writeHead', false) as ServerResponse['writeHead'];
  res.write = hold('write', true) as ServerResponse['write'];
  res.end = hold('end', true) as ServerResponse['end'];
  res.flushHeaders = hold('flushHeaders', true) as ServerResponse['flushHeaders'];
}
