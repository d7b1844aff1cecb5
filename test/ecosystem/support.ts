/**
 * Framework-neutral helpers of the ecosystem matrix (SPEC R3): raw HTTP with undecoded bodies,
 * a store whose methods can be held at a gate, a pull-based byte source that counts what it
 * produced, and a bound on how long a test waits for an answer. Nothing here knows Express or Koa.
 */
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { isClearing, parseSetCookie, type Client, type SetCookie } from '@sessionware/test-support';

/** A fixed secret of more than 32 bytes, the same in every ecosystem test (K3). */
export const SECRET = 'ecosystem-matrix-secret-4f1c9a7e2b6d8053e1a9c7f4b2d6e8a0';

/** A promise with its resolve function outside. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Fails with `what` when `promise` has not settled within `ms`: a hung request fails its test
 * with a message saying what hung, instead of mocha's generic timeout.
 */
export async function within<T>(promise: Promise<T>, what: string, ms = 8000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}


/** A response as received, body undecoded (fetch would gunzip it silently). */
export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body bytes as they came over the wire. */
  raw: Buffer;
  /** The body after Content-Encoding (gzip) is undone (the raw bytes when that failed). */
  body: Buffer;
  /** Why undoing the Content-Encoding failed, if it did. */
  decodeError: string | undefined;
  setCookies: SetCookie[];
  cookie(name: string): SetCookie | undefined;
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Called with the response as soon as its headers arrive, before the body is read. */
  onResponse?: (response: IncomingMessage) => void;
}

/** Sends one request with node:http; when `client` is given, its jar is sent and updated. */
export function rawRequest(baseUrl: string, path: string, options: RawRequestOptions = {}, client?: Client): Promise<RawReply> {
  const url = new URL(path, baseUrl);
  const headers: Record<string, string> = { ...options.headers };
  const cookie = client?.cookieHeader() ?? '';
  if (cookie !== '' && headers['cookie'] === undefined) headers['cookie'] = cookie;
  return new Promise<RawReply>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers }, (response) => {
      options.onResponse?.(response);
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const raw = Buffer.concat(chunks);
        const setCookies = (response.headers['set-cookie'] ?? []).map(parseSetCookie);
        if (client !== undefined) absorbCookies(client, setCookies);
        let body = raw;
        let decodeError: string | undefined;
        try {
          body = response.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
        } catch (error) {
          decodeError = error instanceof Error ? error.message : String(error);
        }
        resolve({
          decodeError,
          status: response.statusCode ?? 0,
          headers: response.headers,
          raw,
          body,
          setCookies,
          cookie: (name) => setCookies.find((c) => c.name === name),
        });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Puts Set-Cookie values into a client's jar, as a browser would. */
export function absorbCookies(client: Client, setCookies: readonly SetCookie[]): void {
  for (const setCookie of setCookies) {
    if (isClearing(setCookie)) client.jar.delete(setCookie.name);
    else client.jar.set(setCookie.name, setCookie.value);
  }
}

/** `n` bytes of a fixed, non-repeating-looking text (compressible, so gzip really shrinks it). */
export function textOfSize(n: number): string {
  let text = '';
  for (let line = 0; text.length < n; line += 1) text += `line ${line}: the quick brown fox jumps over the lazy dog ${line * 7919 % 1000}\n`;
  return text.slice(0, n);
}

/**
 * A pull-based byte source: it makes a chunk only when its consumer reads, and counts the
 * bytes made, so a test can see how much a held response buffered.
 */
export class CountingSource extends Readable {
  produced = 0;
  readonly #hash = createHash('sha256');
  readonly #chunk: Buffer;

  constructor(readonly total: number, chunkSize = 64 * 1024) {
    super();
    this.#chunk = Buffer.alloc(chunkSize);
    for (let i = 0; i < chunkSize; i += 1) this.#chunk[i] = (i * 31 + 7) & 0xff;
  }

  override _read(): void {
    if (this.produced >= this.total) {
      this.push(null);
      return;
    }
    const size = Math.min(this.#chunk.length, this.total - this.produced);
    const chunk = Buffer.from(this.#chunk.subarray(0, size));
    // Each chunk differs from the last, so a lost, doubled or reordered chunk changes the hash.
    if (size >= 4) chunk.writeUInt32BE(this.produced >>> 0, 0);
    this.produced += size;
    this.#hash.update(chunk);
    this.push(chunk);
  }

  /** SHA-256 of everything produced (call after the end). */
  digest(): string {
    return this.#hash.copy().digest('hex');
  }
}

/** SHA-256 and byte count of a response body read as a stream (for bodies too large to keep). */
export function consumeCounting(response: IncomingMessage): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Promise((resolve, reject) => {
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    response.on('error', reject);
    response.on('end', () => resolve({ bytes, sha256: hash.digest('hex') }));
  });
}
