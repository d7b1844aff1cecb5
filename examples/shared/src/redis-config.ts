import { invalid, read, type Env } from './env-values.js';

/** One `host:port` of REDIS_CLUSTER_NODES or REDIS_SENTINELS. */
export interface RedisNode {
  host: string;
  port: number;
}

/** Which Redis the examples use (SPEC §E, S2): at most one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS. */
export type RedisConnection =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: RedisNode[] }
  | { mode: 'sentinel'; sentinels: RedisNode[]; name: string };

/** The variables that choose a Redis; at most one may be set. */
const REDIS_VARIABLES = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const;

/** A redis:// or rediss:// URL. The value is never echoed: it may hold a password. */
function parseRedisUrl(text: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw invalid('REDIS_URL', 'a redis:// or rediss:// URL');
  return text;
}

/**
 * Comma-separated `host:port` entries (a host name, IPv4, or `[IPv6]`; port 1–65535). The
 * value is never echoed (an entry mistaken for a URL may hold a password): the message names
 * the bad entry by its position.
 */
function parseNodes(name: string, text: string): RedisNode[] {
  const entries = text.split(',').map((entry) => entry.trim());
  return entries.map((entry, index) => {
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (match?.[1] === undefined || !(port >= 1 && port <= 65535)) {
      throw invalid(name, `comma-separated host:port entries (entry ${index + 1} of ${entries.length} is not host:port)`);
    }
    return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
  });
}

/** REDIS_URL, REDIS_CLUSTER_NODES, or REDIS_SENTINELS with REDIS_SENTINEL_NAME: at most one Redis. */
export function readRedis(env: Env): RedisConnection | undefined {
  const set = REDIS_VARIABLES.filter((name) => read(env, name) !== undefined);
  if (set.length > 1) throw new Error(`${set.join(' and ')} are set together: set only one of ${REDIS_VARIABLES.join(', ')}`);
  const sentinelName = read(env, 'REDIS_SENTINEL_NAME');
  if (sentinelName !== undefined && set[0] !== 'REDIS_SENTINELS') throw new Error('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS');
  const url = read(env, 'REDIS_URL');
  if (url !== undefined) return { mode: 'standalone', url: parseRedisUrl(url) };
  const clusterNodes = read(env, 'REDIS_CLUSTER_NODES');
  if (clusterNodes !== undefined) return { mode: 'cluster', nodes: parseNodes('REDIS_CLUSTER_NODES', clusterNodes) };
  const sentinels = read(env, 'REDIS_SENTINELS');
  if (sentinels === undefined) return undefined;
  const nodes = parseNodes('REDIS_SENTINELS', sentinels);
  if (sentinelName === undefined) throw new Error('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name of the monitored primary');
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(sentinelName)) {
    throw invalid('REDIS_SENTINEL_NAME', 'a primary name of letters, digits, ".", "_" or "-"', JSON.stringify(env['REDIS_SENTINEL_NAME']));
  }
  return { mode: 'sentinel', sentinels: nodes, name: sentinelName };
}
