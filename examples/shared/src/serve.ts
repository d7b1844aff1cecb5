import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import { readConfig, type ExampleConfig } from './config.js';
import { memoryUsersTable, type UsersTable } from './users.js';

/**
 * Starts an example app per SPEC §E: reads the environment, builds the app, listens on PORT
 * (loopback) and prints one line with its URL. A bad configuration prints one line and exits 1.
 */
export function runExample(framework: string, build: (config: ExampleConfig, users: UsersTable) => RequestListener): void {
  const start = async (): Promise<void> => {
    const config = readConfig();
    if (config.redisUrl !== undefined) {
      throw new Error('REDIS_URL is set, but the Redis store (@sessionware/redis) is not part of this build yet; unset REDIS_URL to use the MemoryStore.');
    }
    const server = createServer(build(config, memoryUsersTable()));
    server.listen(config.port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    console.log(`sessionware ${framework} example listening on http://localhost:${port}/`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        server.close();
        server.closeAllConnections();
      });
    }
  };
  start().catch((error: unknown) => {
    console.error(`sessionware ${framework} example could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
