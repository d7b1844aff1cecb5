import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { FIELD_NAMES } from './scripts/lua-helpers.js';

/** A Lua script and the SHA-1 Redis knows it by. */
export interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

/** A script's EVALSHA/EVAL arguments after the script: the number of keys, the keys, then the arguments. */
export type ScriptArguments = readonly [number, ...string[]];

/** What a script's builder needs besides the call's own values: the store's key prefix and the app's clock. */
export interface ScriptContext {
  readonly prefix: string;
  /** The app's clock (ms since the epoch), against which the script judges liveness. */
  readonly now: number;
}

/** The parts of a script, in the order Redis runs them. */
export interface ScriptParts {
  /** The shared helpers it calls (`lua-helpers.ts`), each after those it calls in turn. */
  readonly helpers: readonly string[];
  /**
   * Its protocol: one `local` a line naming each of KEYS and ARGV, with a comment saying what
   * it holds; a variable-length tail gets a named first index. The only part of a script that
   * indexes KEYS or ARGV by a literal number (tested in `test/internal/script-text.test.ts`).
   */
  readonly header: string;
  /** What it does, in the names of its header. */
  readonly body: string;
}

/**
 * A script, its SHA-1 computed once: the field names of the record and of the user index
 * (`FIELD_NAMES`), then its helpers, header and body. The parts stay readable for the tests.
 */
export function luaScript(parts: ScriptParts): LuaScript & ScriptParts {
  const lua = [FIELD_NAMES, ...parts.helpers, parts.header, parts.body].join('');
  return Object.freeze({ ...parts, lua, sha: createHash('sha1').update(lua).digest('hex') });
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs a script in one round trip: EVALSHA, and EVAL only when the server does not know the
 * script (its first use on a server, after SCRIPT FLUSH or a restart), which caches it again.
 * `keysAndArgs` is the number of keys, the keys, then the arguments. Called directly rather
 * than through ioredis's `defineCommand`, whose wrapper adds a command subclass, a closure and
 * a chained promise to every call (this runs on every request that carries a session); the
 * client's `keyPrefix` and Cluster routing apply to EVALSHA's keys all the same.
 */
export async function runScript(client: Redis | Cluster, script: LuaScript, keysAndArgs: ScriptArguments): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, ...keysAndArgs);
  } catch (error) {
    return evalAfterNoScript(client, script, keysAndArgs, error);
  }
}

/**
 * The second half of {@link runScript}, for a caller that sends the EVALSHA itself (the
 * per-request load, which saves the extra promise of a call to `runScript`): runs the script
 * with EVAL after a NOSCRIPT error, and rethrows any other.
 */
export function evalAfterNoScript(client: Redis | Cluster, script: LuaScript, keysAndArgs: ScriptArguments, error: unknown): Promise<unknown> {
  if (!isNoScript(error)) throw error;
  return client.eval(script.lua, ...keysAndArgs);
}
