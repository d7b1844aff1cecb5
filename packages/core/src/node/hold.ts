/** The state of one held response and what each held call does to it; installed on the response by `holding-methods.ts`. */
import type { ServerResponse } from 'node:http';
import type { ResponseCommitter } from './held-response.js';
import { assign, defineGetter, type HeldMethod, type Method } from './holding-methods.js';
import { applyHeadHeaders, byteLength, callbackOf, checkChunk, headersSentError, nodeError } from './node-calls.js';

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
export class Hold {
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

  /** Ends the hold; its methods stay on the response, passing calls on (cheaper than removing them: docs/perf-notes.md#held-responses). */
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
    applyHeadHeaders(res, headers);
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

