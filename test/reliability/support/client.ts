import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { parseSetCookie, type SetCookie } from '@sessionware/test-support';

/** One answer as the reliability tests see it; `status` 0 when there was none (see `failure`). */
export interface Answer {
  status: number;
  body: string;
  json: unknown;
  setCookies: SetCookie[];
  elapsedMs: number;
  /** Why there was no answer: 'deadline' (no answer in time) or the socket error's code. */
  failure?: string;
}

/** What {@link KeepAliveClient.request} sends. */
export interface Send {
  /** One Cookie header, or several (Node joins them with "; " as a browser would never do). */
  cookie?: string | readonly string[];
  json?: unknown;
  /** Give up (and count the request as hung) after this many milliseconds. */
  deadlineMs?: number;
}

/** Characters Node's HTTP client accepts in a header value (it writes them as latin1). */
const SENDABLE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** True when Node's HTTP client can send these header bytes as they are. */
export function sendable(bytes: Buffer): boolean {
  return SENDABLE.test(bytes.toString('latin1'));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * An HTTP client on a keep-alive agent, so thousands of requests reuse a few sockets. It
 * keeps no cookie jar: each request says what it carries. Never rejects: a missing answer is
 * an {@link Answer} with `status` 0.
 */
export class KeepAliveClient {
  readonly #agent: Agent;
  readonly #url: URL;

  constructor(baseUrl: string, maxSockets = 16) {
    this.#url = new URL(baseUrl);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, send: Send = {}): Promise<Answer> {
    const started = performance.now();
    const headers: Record<string, string | string[]> = {};
    if (send.cookie !== undefined) headers['cookie'] = typeof send.cookie === 'string' ? send.cookie : [...send.cookie];
    const body = send.json === undefined ? undefined : JSON.stringify(send.json);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise<Answer>((resolve) => {
      const fail = (failure: string): void => {
        resolve({ status: 0, body: '', json: undefined, setCookies: [], elapsedMs: performance.now() - started, failure });
      };
      const req = request({ host: this.#url.hostname, port: this.#url.port, method, path, headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString();
          const raw = res.headers['set-cookie'] ?? [];
          resolve({ status: res.statusCode ?? 0, body: text, json: parseJson(text), setCookies: raw.map(parseSetCookie), elapsedMs: performance.now() - started });
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        fail('deadline');
      }, send.deadlineMs ?? 10_000);
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        fail(error.code ?? error.message);
      });
      req.end(body);
    });
  }

  /** Closes the idle sockets. */
  close(): void {
    this.#agent.destroy();
  }
}

/**
 * Sends one GET with Cookie headers of any bytes over a fresh socket (`Connection: close`):
 * for bytes Node's client refuses to send (control characters). Node's parser may answer 400.
 */
export function rawGet(baseUrl: string, path: string, cookies: readonly Buffer[], deadlineMs = 10_000): Promise<Answer> {
  const url = new URL(baseUrl);
  const started = performance.now();
  const head = Buffer.concat([
    Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n`),
    ...cookies.flatMap((cookie) => [Buffer.from('Cookie: '), cookie, Buffer.from('\r\n')]),
    Buffer.from('Connection: close\r\n\r\n'),
  ]);
  return new Promise<Answer>((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(head));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('deadline')), deadlineMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [headText = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = headText.split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const setCookies = headerLines.filter((line) => /^set-cookie:/i.test(line)).map((line) => parseSetCookie(line.slice(line.indexOf(':') + 1).trim()));
      const body = rest.join('\r\n\r\n');
      const answer: Answer = { status, body, json: parseJson(body), setCookies, elapsedMs: performance.now() - started };
      if (status === 0) answer.failure = 'no answer';
      resolve(answer);
    });
  });
}
