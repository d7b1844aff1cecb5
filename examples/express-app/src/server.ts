import { once } from 'node:events';
import { memoryUsersTable, readConfig } from '@sessionware/example-shared';
import { createApp } from './app.js';

/** Starts the Express example per SPEC §E and prints one line with its URL. */
async function main(): Promise<void> {
  const config = readConfig();
  if (config.redisUrl !== undefined) {
    throw new Error('REDIS_URL is set, but the Redis store (@sessionware/redis) is not part of this build yet; unset REDIS_URL to use the MemoryStore.');
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
}

main().catch((error: unknown) => {
  console.error(`sessionware Express example could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
