import { ServerResponse, type IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { OpenRequest, RequestSession, SessionEngine } from './engine.js';

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

/**
 * What a Node request tells the engine. A class, not an object literal: `secure` is a getter
 * on the prototype, read only when cookies are written (the socket is one more property read
 * on a request whose prototype Express changed, an inline-cache miss, and most requests write
 * no cookie), and an object literal with a getter is created by the runtime, far slower than
 * the read it saves (callgrind: +14% instructions per request on Koa).
 */
class NodeOpenRequest implements OpenRequest {
  readonly cookieHeader: string | undefined;
  readonly userAgent: string | undefined;
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #engine: SessionEngine;

  constructor(engine: SessionEngine, req: IncomingMessage, res: ServerResponse) {
    const headers = req.headers;
    this.cookieHeader = headers.cookie;
    this.userAgent = headers['user-agent'];
    this.#req = req;
    this.#res = res;
    this.#engine = engine;
  }

  get secure(): boolean {
    return isSecureRequest(this.#req, this.#engine.options.trustProxy);
  }

  setCookies(values: string[]): void {
    const { name, indicator } = this.#engine.options.cookie;
    writeSetCookies(this.#res, indicator === false ? [name] : [name, indicator], values);
  }
}

/** Opens the engine's session for a Node request/response pair. */
export function openNodeSession(engine: SessionEngine, req: IncomingMessage, res: ServerResponse): Promise<RequestSession> {
  return engine.open(new NodeOpenRequest(engine, req, res));
}

type Held = 'writeHead' | 'write' | 'end' | 'flushHeaders';
type Method = (this: unknown, ...args: unknown[]) => unknown;
type Methods = Readonly<Record<Held, Method>>;

const HELD: readonly Held[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** What a held response waits for: the engine's `RequestSession` is one. */
export interface ResponseCommitter {
  /** Stores what must be stored and sets the response's cookies. */
  commit(): Promise<void>;
  /**
   * Commits at once when that needs no I/O: answers true when done (the held calls then go
   * out without waiting a promise turn), false when `commit()` must run.
   */
  commitSync?(): boolean;
}

/**
 * One response's hold, whichever way its methods are held: through its prototype (the hold is
 * an entry of `holds`) or through its own properties (`restore` puts them back).
 */
class Hold {
  /** The calls held so far, in order. */
  readonly held: Array<[Held, unknown[]]> = [];
  committing = false;

  constructor(
    readonly res: object,
    readonly committer: ResponseCommitter,
    readonly onError: (error: unknown) => void,
    /** What the holding methods stand in for: where the held calls are replayed. */
    readonly original: Methods,
    /** For a hold through own properties: puts the original methods back. */
    readonly restore: (() => void) | undefined,
  ) {}

  /** Stops holding (once: when the commit settles, or is done at once). */
  release(): void {
    if (this.restore === undefined) holds.delete(this.res);
    else this.restore();
  }
}

/**
 * The responses held through their prototype; one without an entry (never held, or committed)
 * is passed through. Entries are deleted as soon as the commit settles: WeakMap entries that
 * outlive their request (the value leads back to the key) cost more in garbage collection
 * than the own properties this avoids.
 */
const holds = new WeakMap<object, Hold>();

interface Patched {
  /** The methods installed on the prototype. */
  readonly holding: Methods;
  /** What they stand in for. */
  readonly original: Methods;
}

/** The prototypes seen: the methods installed on each, or null when it could not take them. */
const patched = new WeakMap<object, Patched | null>();

/**
 * Holds the first `write`/`end`/`flushHeaders` (and any `writeHead` before it) until
 * `committer.commit()` settles, so session changes are stored and Set-Cookie is set before
 * the headers go out (SPEC T7). On success the held calls run in order; on failure they are
 * dropped and `onError` gets the error (the framework's error path answers, e.g. 503). Later
 * calls go straight to the response. When `committer.commitSync()` answers true (the commit
 * needed neither the store nor a signature, and is done), the held calls run at once,
 * without a promise turn.
 *
 * Adding own properties to a response whose prototype was changed (Express sets its own on
 * every response) costs about 2 µs each, so for such a response the holding methods are
 * installed once on its prototype chain and this response's hold is kept in a WeakMap; a
 * response without a hold passes straight through them. See `holdingPrototype`.
 */
export function holdResponseUntilCommitted(res: ServerResponse, committer: ResponseCommitter, onError: (error: unknown) => void): void {
  const prototype = Object.getPrototypeOf(res) as object | null;
  const methods = holdingPrototype(prototype);
  if (methods === undefined || holds.has(res) || !reachesHoldingMethods(res, prototype as Methods, methods)) {
    // A plain ServerResponse (own properties are cheap there), a prototype we could not patch,
    // methods already replaced on this response or below our prototype (e.g. compression or
    // on-headers mounted earlier), or a second hold: wrap this response's own methods, as
    // outermost layer, exactly as before.
    holdOwnMethods(res, committer, onError);
    return;
  }
  holds.set(res, new Hold(res, committer, onError, methods.original, undefined));
}

/**
 * Whether calls of the four methods on `res` reach the holding methods: neither `res` itself
 * nor a prototype between it and the patched one replaced any of them. Own properties are
 * checked with `Object.hasOwn` and the rest on `res`'s prototype, an object shared by many
 * responses: reading the methods through `res` itself walks the chain from an object whose
 * shape Express changed, about 250 ns a read.
 */
function reachesHoldingMethods(res: ServerResponse, prototype: Methods, methods: Patched): boolean {
  for (const method of HELD) {
    if (Object.hasOwn(res, method) || prototype[method] !== methods.holding[method]) return false;
  }
  return true;
}

/** The last prototype `holdingPrototype` looked up, and its answer: one app serves most requests. */
let lastPrototype: object | undefined;
let lastPatched: Patched | undefined;

/**
 * The holding methods for a response whose prototype is `prototype`, installed on first sight
 * on the topmost prototype of its chain below `ServerResponse.prototype`: with Express, its
 * `response` object, which every
 * app's `app.response` (and a mounted sub-app's) inherits from. Not lower: Express switches a
 * response between the prototypes of the apps it passes through (a mounted sub-app's, back to
 * its parent's on `next()`, or another app's when called as a function, e.g. by vhost), and
 * the hold must stay on whichever the response ends with. Responses on that prototype without
 * a hold (other apps', routes before `session()`) go straight to the methods it inherits.
 * Undefined for a plain `ServerResponse` (its prototype is never patched), a response not
 * derived from it, or a prototype that cannot take the methods.
 */
function holdingPrototype(prototype: object | null): Patched | undefined {
  if (prototype === lastPrototype && prototype !== null) return lastPatched;
  if (prototype === ServerResponse.prototype) return undefined;
  let level = prototype;
  while (level !== null) {
    const parent = Object.getPrototypeOf(level) as object | null;
    if (parent === ServerResponse.prototype) {
      const known = patched.get(level);
      const methods = known === undefined ? install(level) : (known ?? undefined);
      // Remembered only once this prototype's chain is known; a chain changed later (a
      // prototype's own prototype set anew) is not seen, as no framework does that.
      lastPrototype = prototype ?? undefined;
      lastPatched = methods;
      return methods;
    }
    level = parent;
  }
  return undefined;
}

/** Installs the holding methods on `level` (non-enumerable, like Node's own methods). */
function install(level: object): Patched | undefined {
  const descriptors = HELD.map((method) => Object.getOwnPropertyDescriptor(level, method));
  if (!Object.isExtensible(level) || descriptors.some((d) => d !== undefined && (d.configurable !== true || typeof d.value !== 'function'))) {
    patched.set(level, null);
    return undefined;
  }
  const holding = {} as Record<Held, Method>;
  const original = {} as Record<Held, Method>;
  HELD.forEach((method, index) => {
    const own = descriptors[index]?.value as Method | undefined;
    // What the method was: its own value, or else the inherited one, looked up on each call so
    // that a later change of ServerResponse.prototype (e.g. by an instrumentation) is seen.
    const passThrough: Method = own ?? function (this: unknown, ...args: unknown[]): unknown {
      return (Object.getPrototypeOf(level) as Methods)[method].apply(this, args);
    };
    original[method] = passThrough;
    holding[method] = function (this: unknown, ...args: unknown[]): unknown {
      // `this` is whatever the caller passed, as with Node's own methods: a WeakMap answers
      // undefined for anything that is not a held response.
      const hold = holds.get(this as object);
      return hold === undefined ? passThrough.apply(this, args) : holdCall(hold, method, args);
    };
  });
  const methods: Patched = { holding, original };
  for (const [index, method] of HELD.entries()) {
    Object.defineProperty(level, method, {
      value: holding[method],
      writable: true,
      configurable: true,
      enumerable: descriptors[index]?.enumerable ?? false,
    });
  }
  patched.set(level, methods);
  return methods;
}

/**
 * One call on a held response. `writeHead`, and anything while the commit runs, is kept. The
 * first `write`, `end` or `flushHeaders` commits: when `commitSync` finishes at once (nothing
 * to store), the calls held before go out now and then this one, with its own result;
 * otherwise it is kept too and the commit starts.
 */
function holdCall(hold: Hold, method: Held, args: unknown[]): unknown {
  const res = hold.res;
  if (method !== 'writeHead' && !hold.committing) {
    if (hold.committer.commitSync?.() === true) {
      hold.release();
      replay(hold);
      return hold.original[method].apply(res, args);
    }
    hold.held.push([method, args]);
    startCommit(hold);
  } else {
    hold.held.push([method, args]);
  }
  return method === 'write' ? true : res;
}

/** Sends the held calls in order. */
function replay(hold: Hold): void {
  if (hold.held.length === 0) return;
  for (const [method, args] of hold.held.splice(0)) hold.original[method].apply(hold.res, args);
}

/** Runs the commit of a hold (once), then replays or drops the held calls. */
function startCommit(hold: Hold): void {
  hold.committing = true;
  hold.committer.commit().then(
    () => {
      hold.release();
      replay(hold);
    },
    (error: unknown) => {
      hold.release();
      hold.held.length = 0;
      hold.onError(error);
    },
  );
}

/** The per-response hold: wraps `res`'s own methods and restores them once released. */
function holdOwnMethods(res: ServerResponse, committer: ResponseCommitter, onError: (error: unknown) => void): void {
  const own = res as unknown as Record<Held, Method>;
  const original: Methods = { writeHead: own.writeHead, write: own.write, end: own.end, flushHeaders: own.flushHeaders };
  let released = false;
  const hold = new Hold(res, committer, onError, original, () => {
    released = true;
    Object.assign(res, original);
  });
  for (const method of HELD) {
    // A caller that kept a reference to a holding method still reaches the original once released.
    own[method] = (...args: unknown[]): unknown =>
      (released ? original[method].apply(res, args) : holdCall(hold, method, args));
  }
}
