import { routeKey } from './logout.js';

/**
 * The full paths of a session middleware's peek routes (SPEC P5), which its logout routers
 * register, so that the middleware opens a peek without sliding it. Matched as the frameworks'
 * routers match (`routeKey()`); a request whose method or path length cannot be a peek costs
 * no string work, since every GET of the app asks.
 */
export class PeekPaths {
  readonly #keys = new Set<string>();
  /** The lengths a matching path can have: a key's, and one more for a trailing slash. */
  readonly #lengths = new Set<number>();

  /** Registers the full path of a peek route (prefix and path). */
  add(path: string): void {
    const key = routeKey(path);
    this.#keys.add(key);
    this.#lengths.add(key.length);
    this.#lengths.add(key.length + 1);
  }

  /** Whether a request of `method` on the full `path` is a peek: a GET or HEAD of a registered path. */
  matches(method: string | undefined, path: string): boolean {
    if (this.#keys.size === 0 || (method !== 'GET' && method !== 'HEAD') || !this.#lengths.has(path.length)) return false;
    return this.#keys.has(routeKey(path));
  }
}
