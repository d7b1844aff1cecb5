/**
 * What the hold needs to answer a held call as Node would: Node's error shapes and codes,
 * the chunk checks Node's write makes first, and how Node reads write/end arguments.
 */
import type { ServerResponse } from 'node:http';

type Callback = (error?: Error | null) => void;

/** An error shaped like Node's own (`code`, and the code in `name`'s place when printed). */
export function nodeError<E extends Error>(Kind: new (message: string) => E, code: string, message: string): E {
  const error = new Kind(message);
  Object.defineProperty(error, 'code', { value: code, enumerable: false, writable: true, configurable: true });
  Object.defineProperty(error, 'toString', { value: () => `${error.name} [${code}]: ${message}`, enumerable: false });
  return error;
}

export function headersSentError(verb: 'set' | 'append' | 'remove' | 'write'): Error {
  return nodeError(Error, 'ERR_HTTP_HEADERS_SENT', `Cannot ${verb} headers after they are sent to the client`);
}

/** The chunk checks Node's `write_` makes before anything else, with Node's errors. */
export function checkChunk(chunk: unknown): void {
  if (chunk === null) throw nodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
    throw nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ${typeof chunk}`);
  }
}

export function byteLength(chunk: string | Uint8Array, encoding: unknown): number {
  return typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk.byteLength;
}

/** Splits `write`/`end` arguments as Node does: `(chunk, encoding, cb)`, `(chunk, cb)`, `(cb)`. */
export function callbackOf(args: unknown[]): Callback | undefined {
  for (let index = args.length - 1; index >= 0; index -= 1) {
    if (typeof args[index] === 'function') return args[index] as Callback;
  }
  return undefined;
}

/**
 * Applies the headers given to `writeHead` now, through the response's own checks, as Node
 * merges them when headers were set before; they then override earlier values.
 */
export function applyHeadHeaders(res: ServerResponse, headers: unknown): void {
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
}
