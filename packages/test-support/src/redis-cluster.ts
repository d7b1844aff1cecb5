/**
 * Starts a real, throwaway Redis Cluster for tests (SPEC S1): three `redis-server` processes
 * with `--cluster-enabled yes` on free loopback ports (each with its own free cluster bus port
 * and temporary directory), joined by `redis-cli --cluster create … --cluster-replicas 0`,
 * ready once every node reports `cluster_state:ok`; stopped by the PIDs it started.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, type Redis } from 'ioredis';
import { connectClient, disconnectAllClients } from './redis-client.js';
import { freePort, launch, stopChildren } from './redis-server.js';

const CLI = '/usr/bin/redis-cli';
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;
const run = promisify(execFile);

/** One master of the cluster. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
}

/** A running cluster started by this process. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** Stops every node (SIGTERM by PID, SIGKILL after 5 s) and removes their directories. Idempotent. */
  stop(): Promise<void>;
}

/** Starts one cluster-enabled node on free ports, retrying when a probed port was taken meanwhile. */
async function startNode(dir: string): Promise<{ port: number; child: ChildProcess }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const busPort = await freePort();
    const args = [
      '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, 'nodes.conf'),
      '--cluster-port', String(busPort),
      '--cluster-node-timeout', '5000',
    ];
    try {
      return { port, child: await launch(port, dir, args) };
    } catch (error) {
      if (attempt >= 3 || String(error).includes('is missing')) throw error;
    }
  }
}

/** Polls CLUSTER INFO on `admin` until the node sees the whole cluster serving all slots. */
async function waitForClusterOk(admin: Redis, masters: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let info = '';
  while (Date.now() < deadline) {
    info = String(await admin.cluster('INFO'));
    if (
      info.includes('cluster_state:ok') &&
      info.includes('cluster_slots_ok:16384') &&
      info.includes(`cluster_known_nodes:${masters}`) &&
      info.includes(`cluster_size:${masters}`)
    ) return;
    // The cluster bus gossips on its own schedule: there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cluster was not ok within ${READY_TIMEOUT_MS} ms:\n${info}`);
}

/** Starts `masters` (default 3) cluster nodes and joins them into one cluster with no replicas. */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: it comes with redis-server (Debian's redis-tools); run \`node scripts/setup.mjs redis\``);
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const nodes: ClusterNode[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChildren(children, dirs);
  };
  try {
    for (let n = 0; n < masters; n += 1) {
      const dir = await mkdtemp(join(tmpdir(), 'sessionware-cluster-'));
      dirs.push(dir);
      const { port, child } = await startNode(dir);
      children.push(child);
      nodes.push({ host: HOST, port, get pid() { return child.exitCode === null && child.signalCode === null ? child.pid : undefined; } });
    }
    const addresses = nodes.map((node) => `${node.host}:${node.port}`);
    try {
      await run(CLI, ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: READY_TIMEOUT_MS });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`redis-cli --cluster create failed: ${String(error)}\n${stdout}\n${stderr}`);
    }
    for (const node of nodes) {
      const { client } = await connectClient(`redis://${node.host}:${node.port}`);
      try {
        await waitForClusterOk(client, masters);
      } finally {
        client.disconnect();
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes, stop };
}

/** What {@link useRedisCluster} gives a suite: the cluster, a Cluster client, one plain client per node. */
export interface RedisClusterFixture {
  readonly cluster: RedisCluster;
  /** An ioredis `Cluster` client for the store. */
  readonly client: Cluster;
  /** A plain connection to each master, for CLUSTER and INFO commandstats. */
  readonly admins: readonly Redis[];
}

/**
 * Mocha helper: starts a 3-master cluster and connects an ioredis `Cluster` client in the
 * calling suite's `before` hook; disconnects the clients and stops the nodes in its `after` hook.
 */
export function useRedisCluster(): () => RedisClusterFixture {
  let fixture: RedisClusterFixture | undefined;
  let cluster: RedisCluster | undefined;
  before(async function () {
    this.timeout(60_000);
    cluster = await startRedisCluster();
    // The README's recommended options for a Cluster client.
    const client = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })), {
      enableOfflineQueue: false,
      redisOptions: { maxRetriesPerRequest: 0 },
      clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    });
    client.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('end', () => reject(new Error('the Cluster client ended before it was ready')));
    });
    const admins = await Promise.all(cluster.nodes.map(async (node) => (await connectClient(`redis://${node.host}:${node.port}`)).client));
    fixture = { cluster, client, admins };
  });
  after(async () => {
    fixture?.client.disconnect();
    disconnectAllClients();
    await cluster?.stop();
    fixture = undefined;
  });
  return () => {
    if (fixture === undefined) throw new Error('the Redis Cluster fixture is only available inside its suite');
    return fixture;
  };
}
