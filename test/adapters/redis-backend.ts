import { randomBytes } from 'node:crypto';
import { redisStore } from '@sessionware/redis';
import { connectClient, disconnectAllClients, type RedisServer, startRedisServer } from '@sessionware/test-support';
import type { StoreBackend } from './backend.js';

let server: RedisServer | undefined;

/** The Redis store on a real redis-server started for the suite; each app gets its own key prefix. */
export const redisBackend: StoreBackend = {
  name: 'Redis',
  hooks() {
    before(async function () {
      this.timeout(20_000);
      server = await startRedisServer();
    });
    after(async () => {
      disconnectAllClients();
      await server?.stop();
      server = undefined;
    });
  },
  async create() {
    if (server === undefined) throw new Error('redis-server not started');
    const { client } = await connectClient(server.url);
    const prefix = `t${randomBytes(6).toString('hex')}:`;
    return {
      store: redisStore(client, { prefix }),
      async count() {
        let cursor = '0';
        let total = 0;
        do {
          const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}s:*`, 'COUNT', 1000);
          cursor = next;
          total += keys.length;
        } while (cursor !== '0');
        return total;
      },
      close: async () => {
        client.disconnect();
      },
    };
  },
};
