import { OutgoingMessage, ServerResponse } from 'node:http';
import { byteLength, callbackOf, checkChunk, headersSentError, nodeError } from './node-calls.js';

/**
 * Holding one Node response until its session is committed (SPEC T7), without changing what
 * the response's methods do (SPEC R1, R2). Only a response whose session has something to
 * commit is held; the hold lives in own properties of that response, which pass every call
 * straight on once the commit has settled. Nothing is patched on a prototype.
 *
 * While held, the calls that would put headers or body on the wire are kept, and the
 * response reads as it would have without the hold: after `writeHead` (or the first write)
 * `headersSent` is true and header changes throw `ERR_HTTP_HEADERS_SENT`; after `end()`
 * `writableEnded` is true; `write()` answers false past the high-water mark and `'drain'`
 * follows the release. The first `write`, `end` or `flushHeaders` starts the commit; on
 * success the kept calls go to the methods the hold stands in front of, in order; on failure
 * they are dropped and the error goes to `onError` once.
 */

/** What a held response waits for: the engine's `RequestSession` is one. */
export interface ResponseCommitter {
  /** The final commit: stores what must be stored and sets the response's cookies. */
  commit(): Promise<void>;
  /** Finishes the final commit at once when it needs no I/O: true when done. */
  commitSync(): boolean;
}

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** The methods a hold stands in front of while it lasts. */
type HeldMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders' | 'flush';
/** The state the hold answers for with getters of its own (the rest is Node's, from `_header`). */
type HeldGetter = 'writableEnded' | 'writableNeedDrain';

/** Node's fields the hold sets so that Node's own code reads the state a plain response would have. */
interface NodeFields {
  _header: string | null;
}

/**
 * What `_header` holds while the head counts as written but is not: Node's own `headersSent`,
 * `setHeader`, `writeHead` and the `_header` checks of middleware (compression) then answer as
 * for a written head. It never reaches the wire, since every write goes through the hold; if
 * code bypassed it, the client would get this clean 500 instead of an unreadable answer.
 */
const HEAD_PLACEHOLDER = 'HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

type Phase = 'open' | 'head' | 'ended';

/** One response's hold. Built by {@link holdResponse}. */
class Hold {
  phase: Phase = 'open';
  committing = false;
  released = false;
  /** The calls kept so far, after the head, in order. */
  readonly kept: Array<[HeldMethod, unknown[]]> = [];
  /** Status and reason as they were when the head was written. */
  status = 200;
  reason: string | undefined;
  buffered = 0;
  needDrain = false;
  /** What each method was before the hold: where kept calls go, and every call once it is over. */
  readonly previous = {} as Record<HeldMethod, Method>;
  readonly highWaterMark: number;

  constructor(
    readonly res: ServerResponse,
    readonly committer: ResponseCommitter,
    readonly onError: (error: unknown) => void,
  ) {
    this.highWaterMark = res.writableHighWaterMark;
  }

  /** Whether the head is written, as far as the app can tell. */
  get headWritten(): boolean {
    return this.phase !== 'open';
  }

  /**
   * Ends the hold. Its own properties stay on the response, passing every call on to what was
   * there before: removing them would cost more than the one call they add (V8 turns an object
   * that loses properties it gained late into a dictionary).
   */
  endHold(): void {
    this.released = true;
    this.clearHead();
  }

  /** Takes the placeholder head away: Node's own head is written next (or the error answer). */
  clearHead(): void {
    const fields = this.res as unknown as NodeFields;
    if (fields._header === HEAD_PLACEHOLDER) fields._header = null;
    if (this.phase === 'ended') this.res.finished = false;
  }

  /** Marks the head written, as `writeHead` would, keeping status and reason for the release. */
  writeHead(args: unknown[]): void {
    const res = this.res;
    if (this.phase !== 'open') throw headersSentError('write');
    const [code, second, third] = args;
    const status = Number(code) | 0;
    if (status < 100 || status > 999) {
      throw nodeError(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${String(code)}`);
    }
    const reason = typeof second === 'string' ? second : undefined;
    const headers = typeof second === 'string' ? third : second;
    if (reason !== undefined && /[^\t\x20-\x7e\x80-\xff]/.test(reason)) {
      throw nodeError(TypeError, 'ERR_INVALID_CHAR', 'Invalid character in statusMessage');
    }
    // Headers given to writeHead are applied now, through the response's own checks, as Node
    // merges them when headers were set before; they then override earlier values.
    if (Array.isArray(headers)) {
      const pairs: unknown[][] = headers.length > 0 && Array.isArray(headers[0]) ? (headers as unknown[][]) : [];
      if (pairs.length === 0) {
        if (headers.length % 2 !== 0) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'headers' is invalid");
        for (let index = 0; index < headers.length; index += 2) pairs.push([headers[index], headers[index + 1]]);
      }
      for (const [name] of pairs) res.removeHeader(name as string);
      for (const [name, value] of pairs) if (name) res.appendHeader(name as string, value as string);
    } else if (typeof headers === 'object' && headers !== null) {
      for (const [name, value] of Object.entries(headers)) if (name) res.setHeader(name, value as string);
    }
    res.statusCode = status;
    if (reason !== undefined) res.statusMessage = reason;
    this.status = status;
    this.reason = reason;
    this.phase = 'head';
    (res as unknown as NodeFields)._header = HEAD_PLACEHOLDER;
    // compression's flush() pushes out what its gzip stream holds: kept in order with the writes.
    if (typeof (res as unknown as { flush?: unknown }).flush === 'function') assign(this, ['flush']);
  }

  /** A `write`, `end` or `flushHeaders` on the held response. */
  body(method: 'write' | 'end' | 'flushHeaders' | 'flush', args: unknown[]): unknown {
    const res = this.res;
    const chunk = typeof args[0] === 'function' ? undefined : args[0];
    if (method === 'write') checkChunk(chunk);
    if (this.phase === 'ended') {
      // After end, Node itself answers (write after end, a second end): kept, it does so at the release.
      this.kept.push([method, args]);
      return method === 'write' ? false : method === 'end' ? res : undefined;
    }
    if (method === 'end' && chunk) checkChunk(chunk);
    if (!this.committing && this.committer.commitSync()) {
      // Nothing to store: the hold ends here and this call goes through as it is.
      this.release();
      return this.previous[method].apply(res, args);
    }
    // The implicit head, as Node writes it: through whatever stands in front of writeHead.
    if (this.phase === 'open') res.writeHead(res.statusCode);
    if (this.phase === 'open') this.writeHead([res.statusCode]);
    this.kept.push([method, args]);
    if (method === 'end') {
      this.phase = 'ended';
      // `finished` is what Node sets at end() and what writableEnded reads; on a response still
      // waiting for its socket (pipelining) Node would finish it when the socket comes: a getter then.
      if (res.socket !== null) res.finished = true;
      else defineGetter(this, 'writableEnded');
    }
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) this.buffered += byteLength(chunk, args[1]);
    if (!this.committing) this.startCommit();
    if (method === 'end') return res;
    if (method === 'flushHeaders' || method === 'flush') return undefined;
    if (this.buffered >= this.highWaterMark && !this.needDrain) {
      this.needDrain = true;
      defineGetter(this, 'writableNeedDrain');
    }
    return !this.needDrain;
  }

  startCommit(): void {
    this.committing = true;
    this.committer.commit().then(
      () => this.release(),
      (error: unknown) => this.fail(error),
    );
  }

  /** Ends the hold: the kept calls go on, in order, to the methods it stood in front of. */
  release(): void {
    if (this.released) return;
    this.endHold();
    const res = this.res;
    const kept = this.kept.splice(0);
    // Nothing written yet: the call that ends the hold goes through by itself (commitSync()).
    if (kept.length === 0 && this.phase === 'open') return;
    // The status the app sets after the head does not change what was answered (as without the hold).
    const statusNow = res.statusCode;
    let wrote = true;
    try {
      this.previous.writeHead.apply(res, this.reason === undefined ? [this.status] : [this.status, this.reason]);
      if (statusNow !== this.status) res.statusCode = statusNow;
      for (const [method, args] of kept) {
        const result = this.previous[method].apply(res, args);
        if (method === 'write') wrote = result !== false;
      }
    } catch (error) {
      // Only reachable when someone wrote the response past the hold: the answer is broken, say so once.
      res.destroy(error as Error);
      this.onError(error);
      return;
    }
    if (this.needDrain && wrote) res.emit('drain');
  }

  /** Sets a header under the hold (the commit's cookies): false when the hold is over. */
  setHeader(name: string, value: string[]): boolean {
    // Before the head (Koa's commit after its middleware) the response's own setHeader serves.
    if (this.released || this.phase === 'open') return false;
    const fields = this.res as unknown as NodeFields;
    fields._header = null;
    try {
      this.res.setHeader(name, value);
    } finally {
      fields._header = HEAD_PLACEHOLDER;
    }
    return true;
  }

  /** The final commit settled without this hold starting it (Koa commits after its middleware): nothing was kept, the hold just ends. */
  settled(): void {
    if (!this.committing && !this.released) this.endHold();
  }

  /** The commit failed: the kept calls are dropped and the framework's error path answers. */
  fail(error: unknown): void {
    if (this.released) return;
    const ended = this.phase === 'ended';
    this.endHold();
    const kept = this.kept.splice(0);
    this.phase = 'open';
    for (const [, args] of kept) {
      const callback = callbackOf(args);
      if (callback !== undefined) process.nextTick(callback, error);
    }
    // A response still being written cannot also carry the error answer: it is cut off.
    if (!ended) this.res.destroy();
    this.onError(error);
  }
}

/** Where the holding methods below find the hold of the response they are called on; module-private. */
const HOLD = Symbol('sessionware.hold');

function holdOf(self: unknown): Hold | undefined {
  const hold = (self as { [HOLD]?: Hold } | null | undefined)?.[HOLD];
  return hold === undefined || hold.released ? undefined : hold;
}

/** What `key` was on `self` before its hold: the hold's record, else Node's own. */
function previous(self: unknown, key: HeldMethod): Method {
  const record = (self as { [HOLD]?: Hold } | null | undefined)?.[HOLD];
  return record?.previous[key] ?? (ServerResponse.prototype as unknown as Record<HeldMethod, Method>)[key];
}

function nativeGetter(key: HeldGetter): (this: unknown) => boolean {
  const getter = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, key)?.get;
  if (getter === undefined) throw new Error(`sessionware: OutgoingMessage.prototype.${key} is not a getter`);
  return getter as (this: unknown) => boolean;
}

/**
 * The holding methods and getters, one set for every held response (they find the hold under
 * `HOLD`): with the same functions each time, held responses share their shapes, where a
 * closure per hold gave each response its own.
 */
const HOLDING_METHODS: Record<HeldMethod, Method> = {
  writeHead(...args) {
    const hold = holdOf(this);
    if (hold === undefined) return previous(this, 'writeHead').apply(this, args);
    hold.writeHead(args);
    return this;
  },
  write(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'write').apply(this, args) : hold.body('write', args);
  },
  end(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'end').apply(this, args) : hold.body('end', args);
  },
  flushHeaders(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'flushHeaders').apply(this, args) : hold.body('flushHeaders', args);
  },
  // compression's flush pushes what its gzip stream holds: kept in order, or it would flush nothing.
  flush(...args) {
    const hold = holdOf(this);
    if (hold === undefined || !hold.headWritten) return previous(this, 'flush').apply(this, args);
    return hold.body('flush', args);
  },
};

const NATIVE_GETTERS: Record<HeldGetter, (this: unknown) => boolean> = {
  writableEnded: nativeGetter('writableEnded'),
  writableNeedDrain: nativeGetter('writableNeedDrain'),
};

const HOLDING_GETTERS: Record<HeldGetter, (this: unknown) => boolean> = {
  writableEnded() {
    const hold = holdOf(this);
    return hold === undefined ? NATIVE_GETTERS.writableEnded.call(this) : hold.phase === 'ended';
  },
  writableNeedDrain() {
    const hold = holdOf(this);
    return hold === undefined ? NATIVE_GETTERS.writableNeedDrain.call(this) : hold.needDrain;
  },
};

/** A getter of the hold's, added only when its state first differs from Node's (each added property costs on Express). */
function defineGetter(hold: Hold, key: HeldGetter): void {
  Object.defineProperty(hold.res, key, { get: HOLDING_GETTERS[key], configurable: true, enumerable: false });
}

const WRITING: readonly HeldMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** Puts `methods` of the hold on its response, plainly assigned (as compression does: the cheap way on V8). */
function assign(hold: Hold, methods: readonly HeldMethod[]): void {
  const res = hold.res as unknown as Record<string, unknown>;
  for (const key of methods) {
    hold.previous[key] = res[key] as Method;
    res[key] = HOLDING_METHODS[key];
  }
}

/** The first stage, when the session changes: the methods that write the head or the body. */
function install(hold: Hold): void {
  (hold.res as unknown as Record<symbol, unknown>)[HOLD] = hold;
  assign(hold, WRITING);
}

/** A response's hold, as {@link holdResponse} answers it. */
export interface HeldResponse {
  /** Tells the hold that the final commit settled without it: an idle hold ends. */
  settled(): void;
  /** Sets a header the hold's own checks would refuse (the commit's cookies); false when the hold is over. */
  setHeader(name: string, value: string[]): boolean;
}

/**
 * Holds `res` until `committer`'s final commit settles (SPEC T7, R1, R2). Answers undefined,
 * and holds nothing, when the response has already started: a change then could not be stored.
 */
export function holdResponse(res: ServerResponse, committer: ResponseCommitter, onError: (error: unknown) => void): HeldResponse | undefined {
  if (res.headersSent || res.writableEnded) return undefined;
  // One hold at a time: a second session on the same response is refused at mount (SPEC R6).
  if (holdOf(res) !== undefined) return undefined;
  const hold = new Hold(res, committer, onError);
  install(hold);
  return hold;
}
