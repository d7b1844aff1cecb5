import { runExample } from '@sessionware/example-shared';
import { createApp } from './app.js';

runExample('Koa', ({ config, users }) => createApp({ session: config.session, users, freshAgeMs: config.freshAgeMs }).callback());
