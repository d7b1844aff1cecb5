import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A Lua script and the SHA-1 Redis knows it by. */
export interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

/** A script's EVALSHA/EVAL arguments after the script: the number of keys, the keys, then the arguments. */
export type ScriptArguments = readonly [number, ...string[]];

/** A script, with its SHA-1 computed once. */
export function luaScript(lua: string): LuaScript {
  return Object.freeze({ lua, sha: createHash('sha1').update(lua).digest('hex') });
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
