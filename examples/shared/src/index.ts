export { readConfig } from './config.js';
export type { ExampleConfig } from './config.js';
export { renderPage } from './page.js';
export { DATA_PREFIX, isDataKey, memoryUsersTable, parseUsername } from './users.js';
export type { User, UsersTable } from './users.js';
export { createExampleDeps, runExample } from './serve.js';
export type { ExampleDeps } from './serve.js';
export { connectRedis, redisUsersTable } from './redis.js';
