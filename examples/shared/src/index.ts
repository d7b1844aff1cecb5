// The apps' session types (SessionData, SessionUser), in effect wherever this package is imported.
import './session-types.js';

export { DEFAULT_FRESH_AGE_MS, ENV_OF_OPTION, inEnvTerms, readConfig } from './config.js';
export type { ExampleConfig, SessionPolicies } from './config.js';
export { durationMs } from './env-values.js';
export type { RedisConnection, RedisNode } from './redis-config.js';
export { idleWarningMs, renderPage } from './page.js';
export { DATA_PREFIX, isDataKey, memoryUsersTable, parseUsername, wantsRemember } from './users.js';
export type { User, UsersTable } from './users.js';
export { createExampleDeps, runExample } from './serve.js';
export type { ExampleDeps } from './serve.js';
export { connectRedis, redisUsersTable, UsersTableError } from './redis.js';
export type { RedisClient, RedisUsersTableOptions } from './redis.js';
export { errorReply, reportError } from './error-reply.js';
export type { ExampleLog } from './error-reply.js';
export { bodyObject, checkCharset, checkPath, CLIENT_ERROR_CODES, ClientError } from './client-error.js';
