import type { ServerResponse } from 'node:http';
import { Hold } from './hold.js';
import { holdOf, install } from './holding-methods.js';

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
