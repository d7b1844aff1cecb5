import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** One response as a test sees it. */
export interface Reply {
  status: number;
  json: unknown;
  /** The Set-Cookie headers, raw. */
  setCookies: string[];
  /** Milliseconds from sending the request to the end of the body. */
  elapsedMs: number;
}

/** A minimal HTTP client on fetch with a cookie jar; Max-Age=0 removes a cookie from the jar. */
export class HttpClient {
  readonly jar = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, json?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    const cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (cookie !== '') headers['cookie'] = cookie;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    const init: RequestInit = { method, headers, redirect: 'manual' };
    if (json !== undefined) init.body = JSON.stringify(json);
    const response = await fetch(new URL(path, this.baseUrl), init);
    const text = await response.text();
    const elapsedMs = performance.now() - started;
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (/;\s*max-age=0(;|$)/i.test(header)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1).trim());
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, json: parsed, setCookies, elapsedMs };
  }
}

/** Listens on a free loopback port and returns the base URL and a closer. */
export async function listen(server: Server): Promise<{ url: string; close(): Promise<void> }> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
