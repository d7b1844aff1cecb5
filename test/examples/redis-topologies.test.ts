// The examples on a Redis Cluster and through Sentinel (SPEC §E, S1, S2): the whole HTTP
// contract, with the sessions and the users table on the topology the environment names.
import { expect } from 'chai';
import { Client, connectClient, startRedisCluster, startRedisSentinel, type RedisCluster, type RedisSentinelSetup } from '@sessionware/test-support';
import { describeExampleContract } from './contract.js';
import { startDemo, stopDemo } from './demo.js';
import { EXAMPLE_SECRETS, expressExample, koaExample } from './targets.js';

describe('the examples on a Redis Cluster (REDIS_CLUSTER_NODES set)', function () {
  this.timeout(60_000);
  let cluster: RedisCluster;
  before(async () => {
    cluster = await startRedisCluster();
  });
  after(() => cluster?.stop());
  const env = () => ({ REDIS_CLUSTER_NODES: cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',') });

  describeExampleContract(expressExample, env);
  describeExampleContract(koaExample, env);

  it('§E, S2: the demo started with REDIS_CLUSTER_NODES says so, and a login on it is seen by the Koa demo on the same cluster', async () => {
    const first = await startDemo(['pnpm', 'demo'], { PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, ...env() });
    try {
      const second = await startDemo(['pnpm', 'demo:koa'], { PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, ...env() });
      try {
        expect(first.output()).to.include('(Redis Cluster)');
        const client = new Client(first.url);
        const login = await client.post('/login', { json: { username: 'nia' } });
        expect(login.status).to.equal(200);
        expect((await client.get(new URL('/whoami', second.url).href)).json).to.deep.equal(login.json);
      } finally {
        await stopDemo(second.child);
      }
    } finally {
      await stopDemo(first.child);
    }
  });
});

describe('the examples through Redis Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME set)', function () {
  this.timeout(60_000);
  let setup: RedisSentinelSetup;
  before(async () => {
    setup = await startRedisSentinel();
  });
  after(() => setup?.stop());
  const env = () => ({ REDIS_SENTINELS: setup.sentinels.map(({ host, port }) => `${host}:${port}`).join(','), REDIS_SENTINEL_NAME: setup.name });

  describeExampleContract(expressExample, env);
  describeExampleContract(koaExample, env);

  it('§E, S2: the demo started with REDIS_SENTINELS says so, and its sessions and users live on the primary the Sentinel names', async () => {
    const demo = await startDemo(['pnpm', 'demo:koa'], { PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, ...env() });
    try {
      expect(demo.output()).to.include('(Redis Sentinel)');
      const client = new Client(demo.url);
      expect((await client.post('/login', { json: { username: 'oli' } })).status).to.equal(200);
      const { client: primary } = await connectClient(setup.primary.url);
      try {
        expect(await primary.exists('example:username:oli')).to.equal(1);
        const [, sessionKeys] = await primary.scan('0', 'MATCH', 'sw:s:*', 'COUNT', 1000);
        expect(sessionKeys).to.have.length.greaterThan(0);
      } finally {
        primary.disconnect();
      }
    } finally {
      await stopDemo(demo.child);
    }
  });
});
