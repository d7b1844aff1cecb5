// Only server faults answer 5xx, logged as failures; a client error never is (SPEC §E, F1; issue 13).
import { createServer, type RequestListener } from 'node:http';
import { expect } from 'chai';
import { createApp as createExpressApp } from '@sessionware/example-express';
import { createApp as createKoaApp } from '@sessionware/example-koa';
import { memoryUsersTable, readConfig, UsersTableError, type ExampleLog, type UsersTable } from '@sessionware/example-shared';
import { Client, listen } from '@sessionware/test-support';
import { EXAMPLE_SECRETS } from './targets.js';

type Build = (users: UsersTable, log: ExampleLog) => RequestListener;
const session = () => ({ ...readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS }).session, logger: { warn: () => undefined, error: () => undefined } });
const APPS: Array<[string, Build]> = [
  ['express', (users, log) => createExpressApp({ session: session(), users, log })],
  ['koa', (users, log) => createKoaApp({ session: session(), users, log }).callback()],
];

/** A users table whose findOrCreate fails with `error`. */
const failing = (error: Error): UsersTable => ({ ...memoryUsersTable(), findOrCreate: () => Promise.reject(error) });

describe('example server faults (SPEC §E, F1, issue 13): 5xx only for the server\'s own faults', () => {
  for (const [name, build] of APPS) {
    async function loginWith(users: UsersTable) {
      const lines = { warn: [] as string[], error: [] as string[] };
      const app = await listen(createServer(build(users, { warn: (line) => lines.warn.push(line), error: (line) => lines.error.push(line) })));
      try {
        const reply = await new Client(app.url).post('/login', { json: { username: 'ann' } });
        return { reply, lines };
      } finally {
        await app.close();
      }
    }

    it(`§E, F1: ${name}: the users table failing answers 503 {"error": "ERR_USERS_TABLE"}, logged as a failure`, async () => {
      const { reply, lines } = await loginWith(failing(new UsersTableError('Redis failed')));
      expect([reply.status, reply.json]).to.deep.equal([503, { error: 'ERR_USERS_TABLE' }]);
      expect(lines).to.deep.equal({ warn: [], error: ['request failed: users table: Redis failed'] });
    });

    it(`§E: ${name}: a bug answers 500 {"error": "internal_error"}, logged as a failure, its message kept on the server`, async () => {
      const { reply, lines } = await loginWith(failing(new Error('boom')));
      expect([reply.status, reply.body]).to.deep.equal([500, '{"error":"internal_error"}']);
      expect(lines).to.deep.equal({ warn: [], error: ['request failed: boom'] });
    });

    it(`§E, L2: ${name}: a logout with an unsupported charset still logs out, as with a body the parser refuses`, async () => {
      const app = await listen(createServer(build(memoryUsersTable(), { warn: () => undefined, error: () => undefined })));
      try {
        const client = new Client(app.url);
        await client.post('/login', { json: { username: 'ann' } });
        const cookie = client.cookieHeader();
        const reply = await fetch(`${app.url}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json; charset=latin1', cookie }, body: '{}' });
        expect([reply.status, await reply.json()]).to.deep.equal([200, { loggedOut: true, revoked: true }]);
        expect((await client.get('/whoami', { cookieHeader: cookie })).status).to.equal(401);
      } finally {
        await app.close();
      }
    });
  }
});
