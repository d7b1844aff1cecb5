// The shared Store conformance suite (SPEC T9) against redisStore on a real redis-server.
import { randomUUID } from 'node:crypto';
import { describeStoreConformance } from '@sessionware/store-test';
import { redisStore } from '@sessionware/redis';
import { useRedis } from '@sessionware/test-support';

describe('redisStore on a real redis-server', () => {
  const redis = useRedis();

  // A fresh key prefix per test, so no test sees another's keys.
  describeStoreConformance('redisStore', {
    create: () => redisStore(redis().client, { prefix: `conformance:${randomUUID()}:` }),
  });
});
