import { createServer, type RequestListener } from 'node:http';
import { createExampleDeps, readConfig, type ExampleDeps, type ExampleLog } from '@sessionware/example-shared';
import { createApp as createExpressApp } from '@sessionware/example-express';
import { createApp as createKoaApp } from '@sessionware/example-koa';
import { listen } from '@sessionware/test-support';

/** An example app under test, started in-process from an environment like SPEC §E's. */
export interface ExampleTarget {
  name: string;
  /** The command of the README that starts it, as argv for spawn. */
  demoCommand: string[];
  /** `log` receives the app's error lines; by default client errors are dropped and failures printed. */
  start(env: Record<string, string>, log?: ExampleLog): Promise<{ url: string; close(): Promise<void> }>;
}

/** Strong secrets for the example tests. */
export const EXAMPLE_SECRETS = 'example-test-secret-1-7d3e9a0b5c2f4e6a8b1c3d5e7f9a0b2c,example-test-secret-0-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

/** Builds the app the way the example's server.ts does (store and users table from the env), quietly. */
function inProcess(name: string, demoCommand: string[], build: (deps: ExampleDeps, log: ExampleLog) => RequestListener): ExampleTarget {
  return {
    name,
    demoCommand,
    async start(env, log = { warn: () => undefined, error: (line) => console.error(line) }) {
      const deps = await createExampleDeps(readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS, ...env }));
      deps.config.session.logger = { warn: () => undefined, error: () => undefined };
      const running = await listen(createServer(build(deps, log)));
      return {
        url: running.url,
        close: async () => {
          await running.close();
          await deps.close();
        },
      };
    },
  };
}

export const expressExample = inProcess('express example', ['pnpm', 'demo'], ({ config, users }, log) =>
  createExpressApp({ session: config.session, users, log, freshAgeMs: config.freshAgeMs }));

export const koaExample = inProcess('koa example', ['pnpm', 'demo:koa'], ({ config, users }, log) =>
  createKoaApp({ session: config.session, users, log, freshAgeMs: config.freshAgeMs }).callback());
