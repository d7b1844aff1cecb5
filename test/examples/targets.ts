import { createServer } from 'node:http';
import { memoryUsersTable, readConfig } from '@sessionware/example-shared';
import { createApp as createExpressApp } from '@sessionware/example-express';
import { createApp as createKoaApp } from '@sessionware/example-koa';
import { listen } from '../support/http.js';

/** An example app under test, started in-process from an environment like SPEC §E's. */
export interface ExampleTarget {
  name: string;
  /** The command of the README that starts it, as argv for spawn. */
  demoCommand: string[];
  start(env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }>;
}

/** Strong secrets for the example tests. */
export const EXAMPLE_SECRETS = 'example-test-secret-1-7d3e9a0b5c2f4e6a8b1c3d5e7f9a0b2c,example-test-secret-0-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

export const expressExample: ExampleTarget = {
  name: 'express example',
  demoCommand: ['pnpm', 'demo'],
  async start(env) {
    const config = readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS, ...env });
    const app = createExpressApp({
      session: { ...config.session, logger: { warn: () => undefined, error: () => undefined } },
      users: memoryUsersTable(),
    });
    return listen(createServer(app));
  },
};

export const koaExample: ExampleTarget = {
  name: 'koa example',
  demoCommand: ['pnpm', 'demo:koa'],
  async start(env) {
    const config = readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS, ...env });
    const app = createKoaApp({
      session: { ...config.session, logger: { warn: () => undefined, error: () => undefined } },
      users: memoryUsersTable(),
    });
    return listen(createServer(app.callback()));
  },
};
