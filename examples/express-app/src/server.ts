import { runExample } from '@sessionware/example-shared';
import { createApp } from './app.js';

runExample('Express', ({ config, users }) => createApp({ session: config.session, users, freshAgeMs: config.freshAgeMs }));
