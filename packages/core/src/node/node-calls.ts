/**
 * What the hold needs to answer a held call as Node would: Node's error shapes and codes,
 * the chunk checks Node's write makes first, and how Node reads write/end arguments.
 */

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
