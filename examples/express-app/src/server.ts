import { once } from 'node:events';
import { memoryUsersTable, readConfig } from '@sessionware/example-shared';
import { createApp } from './app.js';

const config = readConfig();
if (config.redisUrl !== undefined) {
  console.error('REDIS_URL is set, but the Redis store (@sessionware/redis) is not part of this build yet; unset it to use the MemoryStore.');
  process.exit(1);
}
const app = createApp({ session: config.session, users: memoryUsersTable() });
const server = app.listen(config.port, '127.0.0.1');
await once(server, 'listening');
const address = server.address();
const port = typeof address === 'object' && address !== null ? address.port : config.port;
console.log(`sessionware Express example listening on http://localhost:${port}/`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
