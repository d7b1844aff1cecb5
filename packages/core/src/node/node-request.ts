import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OpenRequest, RequestSession, SessionEngine } from '../engine.js';
import { cookieNamesOf } from '../internal/cookie-options.js';
import { holdResponse, type HeldResponse } from './held-response.js';

/** What the framework says of a request: Express's `req` and Koa's `ctx` both answer `secure`. */
export interface FrameworkRequest {
  /** True when the request is HTTPS, by the framework's own proxy-trust setting (SPEC C4). */
  readonly secure: boolean;
}

/** How an adapter writes its response, which decides when the session's cookies are set. */
export type ResponseMode =
  /** The framework writes headers inside the handler (Express): cookies known at load are set at once, a changed session holds the response. */
  | 'hold'
  /** The framework writes the response after the middleware chain (Koa): cookies are set by the commit after it. */
  | 'after-middleware';

/** The Set-Cookie values of `res` with ours replaced: earlier values of our names dropped, others' kept. */
export function mergeSetCookies(res: ServerResponse, names: readonly string[], values: string[]): string[] {
  const existing = res.getHeader('set-cookie');
  const others = (existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)])
    .filter((value) => !names.some((name) => value.startsWith(`${name}=`)));
  return [...others, ...values];
}

/** Sets our Set-Cookie values on the response, replacing earlier ones of ours, keeping others'. */
export function writeSetCookies(res: ServerResponse, names: readonly string[], values: string[]): void {
  if (res.headersSent) {
    throw new Error('sessionware: session cookies changed after the response headers were sent; call session.save() before streaming');
  }
  res.setHeader('set-cookie', mergeSetCookies(res, names, values));
}

/** The names of the engine's cookies: the session cookie and, unless turned off, the indicator. */
export function engineCookieNames(engine: SessionEngine): readonly string[] {
  return cookieNamesOf(engine.options.cookie);
}

/** What a Node request tells the engine. A class: `secure` is a prototype getter, read only when cookies are written. */
class NodeOpenRequest implements OpenRequest {
  readonly cookieHeader: string | undefined;
  readonly userAgent: string | undefined;
  readonly cookiesAtOpen: boolean;
  readonly peek: boolean;
  readonly #res: ServerResponse;
  readonly #engine: SessionEngine;
  readonly #framework: FrameworkRequest;
  readonly #onError: (error: unknown) => void;
  #held: HeldResponse | undefined;

  constructor(engine: SessionEngine, req: IncomingMessage, res: ServerResponse, framework: FrameworkRequest, onError: (error: unknown) => void, mode: ResponseMode, peek: boolean) {
    const headers = req.headers;
    this.cookieHeader = headers.cookie;
    this.userAgent = headers['user-agent'];
    this.cookiesAtOpen = mode === 'hold';
    this.peek = peek;
    this.#res = res;
    this.#engine = engine;
    this.#framework = framework;
    this.#onError = onError;
  }

  get secure(): boolean {
    return this.#framework.secure === true;
  }

  setCookies(values: string[]): void {
    const names = engineCookieNames(this.#engine);
    // While held, the head is not written yet whatever the response says: the commit's cookies go in.
    if (this.#held?.setHeader('set-cookie', mergeSetCookies(this.#res, names, values)) !== true) writeSetCookies(this.#res, names, values);
  }

  hold(committer: RequestSession): boolean {
    this.#held = holdResponse(this.#res, committer, this.#onError);
    return this.#held !== undefined;
  }

  committed(): void {
    this.#held?.settled();
  }

  fail(error: unknown): void {
    this.#onError(error);
  }
}

/**
 * Opens the engine's session for a Node request/response pair. `framework` answers whether
 * the request is HTTPS; `onError` receives a commit failure of a held response (Express:
 * the middleware's `next`); `peek` is true for the peek route (`GET …/session`, SPEC P5),
 * whose session is read without sliding.
 */
export function openNodeSession(
  engine: SessionEngine,
  req: IncomingMessage,
  res: ServerResponse,
  framework: FrameworkRequest,
  onError: (error: unknown) => void,
  mode: ResponseMode,
  peek = false,
): Promise<RequestSession> {
  return engine.open(new NodeOpenRequest(engine, req, res, framework, onError, mode, peek));
}
