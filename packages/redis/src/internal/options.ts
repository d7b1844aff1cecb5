import { checkOptionNames, SessionConfigError } from '@sessionware/core';

/** Options of `redisStore()`. */
export interface RedisStoreOptions {
  /**
   * Prepended to every key the store writes: sessions live at `${prefix}s:{…}`, user indexes
   * at `${prefix}u:{…}`. Use a distinct prefix per application sharing one Redis database. It
   * may not contain `{` or `}`, which would take over the keys' Cluster hash tag.
   * @default 'sw:'
   */
  prefix?: string;
}

/** The validated, defaulted options. */
export interface ResolvedRedisStoreOptions {
  readonly prefix: string;
}

const KNOWN_OPTIONS = Object.keys({ prefix: true } satisfies Record<keyof RedisStoreOptions, true>);

/** Checks the client and the options; throws {@link SessionConfigError} naming the bad one. */
export function resolveRedisStoreOptions(client: unknown, input: RedisStoreOptions | undefined): ResolvedRedisStoreOptions {
  const candidate = client as { evalsha?: unknown; eval?: unknown; unlink?: unknown } | null | undefined;
  if (typeof candidate?.evalsha !== 'function' || typeof candidate.eval !== 'function' || typeof candidate.unlink !== 'function') {
    throw new SessionConfigError('argument client is invalid: expected an ioredis Redis or Cluster instance');
  }
  if (input === undefined) return Object.freeze({ prefix: 'sw:' });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SessionConfigError('options are invalid: expected an object');
  }
  checkOptionNames(input, KNOWN_OPTIONS);
  const prefix: unknown = input.prefix ?? 'sw:';
  if (typeof prefix !== 'string') {
    throw new SessionConfigError('option prefix is invalid: expected a string');
  }
  if (/[{}]/.test(prefix)) {
    throw new SessionConfigError('option prefix is invalid: must not contain { or } (the session or user tag is the hash tag)');
  }
  return Object.freeze({ prefix });
}
