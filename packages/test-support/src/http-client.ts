/**
 * The one HTTP client of the test suites: Node's fetch with a cookie jar (a Set-Cookie with
 * `Max-Age=0` removes its cookie from the jar), never following redirects; and `listen()`,
 * which serves a test app on a free loopback port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** One Set-Cookie header, parsed: name, value, and attributes with lower-case names. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
  raw: string;
}

/** Parses one Set-Cookie header value. */
export function parseSetCookie(raw: string): SetCookie {
  const [pair = '', ...parts] = raw.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of parts) {
    const [key = '', ...rest] = part.trim().split('=');
    attributes[key.toLowerCase()] = rest.length === 0 ? true : rest.join('=');
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw };
}

/** True when a Set-Cookie deletes its cookie. */
export function isClearing(cookie: SetCookie): boolean {
  return cookie.attributes['max-age'] === '0';
}

/** What a test sees of one response. */
export interface Reply {
  status: number;
  headers: Headers;
  body: string;
  /** The body parsed as JSON, or undefined. */
  json: unknown;
  setCookies: SetCookie[];
  /** Milliseconds from sending the request to the end of the body. */
  elapsedMs: number;
  /** The Set-Cookie of one cookie name, if any. */
  cookie(name: string): SetCookie | undefined;
}

/** Request options of {@link Client.request}. */
export interface RequestOptions {
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Send this Cookie header instead of the jar's. */
  cookieHeader?: string;
}

/** A minimal HTTP client with a cookie jar, on Node's fetch. It never follows redirects. */
export class Client {
  readonly jar = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  /** The jar as a Cookie header. */
  cookieHeader(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Sends one request with the jar's cookies (or `options.cookieHeader`) and updates the jar from its Set-Cookie headers. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = options.cookieHeader ?? this.cookieHeader();
    if (cookie !== '') headers['cookie'] = cookie;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (body !== undefined) init.body = body;
    const started = performance.now();
    const response = await fetch(new URL(path, this.baseUrl), init);
    const text = await response.text();
    const elapsedMs = performance.now() - started;
    const setCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const setCookie of setCookies) {
      if (isClearing(setCookie)) this.jar.delete(setCookie.name);
      else this.jar.set(setCookie.name, setCookie.value);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      body: text,
      json,
      setCookies,
      elapsedMs,
      cookie: (name) => setCookies.find((c) => c.name === name),
    };
  }

  /** `request('GET', …)` */
  get(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('GET', path, options);
  }

  /** `request('POST', …)` */
  post(path: string, options?: RequestOptions): Promise<Reply> {
    return this.request('POST', path, options);
  }
}

/** Listens on a free loopback port; returns the base URL and a close function. */
export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
