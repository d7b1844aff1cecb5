import type { Redis } from 'ioredis';

/** Calls per command since the server started, from INFO commandstats (the harness's own INFO left out). */
export async function commandCalls(admin: Redis): Promise<Record<string, number>> {
  const info = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),/gm)) {
    const [, name = '', count = '0'] = match;
    if (name === 'info') continue;
    calls[name] = Number(count);
  }
  return calls;
}

/**
 * The calls made between two snapshots, per command. Redis counts the commands a Lua script
 * runs as well as the EVALSHA that ran it, so a script shows as its EVALSHA plus its inner
 * commands; the targets' own count (`redisCommandsSent`) is the round trips.
 */
export function callDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, count] of Object.entries(after)) {
    const difference = count - (before[name] ?? 0);
    if (difference > 0) delta[name] = difference;
  }
  return delta;
}

/** The server's version, from INFO server. */
export async function redisVersion(admin: Redis): Promise<string> {
  const info = await admin.info('server');
  return /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
}
