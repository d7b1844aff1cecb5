/**
 * @sessionware/test-support — private test support of the repository's suites and
 * benchmarks: a throwaway redis-server, Redis Cluster and Sentinel setup, Redis clients with the README's
 * options, one HTTP client with a cookie jar, an observed store with gates so races wait on
 * events, and {@link elapse} for deadlines only.
 * @packageDocumentation
 */
export { elapse } from './deadline.js';
export { createGate } from './gate.js';
export type { Gate, HeldGate } from './gate.js';
export { Client, isClearing, listen, parseSetCookie } from './http-client.js';
export type { Reply, RequestOptions, SetCookie } from './http-client.js';
export { ObservedStore } from './observed-store.js';
export type { StoreCall } from './observed-store.js';
export { commandStats, connectClient, countCommands, disconnectAllClients, RECOMMENDED_CLIENT_OPTIONS, useRedis } from './redis-client.js';
export type { RedisFixture, TestClient } from './redis-client.js';
export { startRedisCluster, useRedisCluster } from './redis-cluster.js';
export type { ClusterNode, RedisCluster, RedisClusterFixture } from './redis-cluster.js';
export { startRedisSentinel } from './redis-sentinel.js';
export type { RedisSentinelSetup } from './redis-sentinel.js';
export { startRedisServer } from './redis-server.js';
export type { RedisServer } from './redis-server.js';
export { listeningUrl } from './spawned-app.js';
export type { ListeningApp } from './spawned-app.js';
