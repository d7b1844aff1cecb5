import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client } from '@sessionware/test-support';
import { describeExampleContractPolicies } from './contract-policies.js';
import { describeExampleContractV2 } from './contract-v2.js';
import type { ExampleTarget } from './targets.js';

/** A username no earlier test (or run on the same Redis) used. */
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

/** The HTTP contract of SPEC §E, run against each example app (with its contract-v2 additions). */
export function describeExampleContract(target: ExampleTarget, env: () => Record<string, string> = () => ({})): void {
  describe(`example HTTP contract (SPEC §E): ${target.name}`, () => {
    let app: { url: string; close(): Promise<void> };
    let client: Client;
    beforeEach(async () => {
      app = await target.start(env());
      client = new Client(app.url);
    });
    afterEach(() => app.close());

    it('§E: GET / serves the page with a login form ("remember me" too), a who-am-I panel, the sessions list, logout and log-out-everywhere buttons, the idle warning', async () => {
      const reply = await client.get('/');
      expect(reply.status).to.equal(200);
      expect(reply.headers.get('content-type')).to.match(/^text\/html/);
      expect(reply.body).to.include('id="login-form"').and.include('id="whoami"').and.include('action="/auth/logout"');
      expect(reply.body).to.include('name="remember"').and.include('id="sessions-list"').and.include('action="/auth/logout-all"');
      expect(reply.body).to.include('id="idle-warning"').and.include("fetch('/auth/session'");
      expect(reply.body).to.include('"sw.sid.active"');
      // Plain inline script, nothing loaded from elsewhere.
      expect(reply.body).to.not.match(/<script[^>]+src=|<link[^>]+href=/);
    });

    it('§E: GET /healthz answers 200', async () => {
      expect((await client.get('/healthz')).status).to.equal(200);
    });

    it('§E, L1, L5: login → whoami → logout → whoami', async () => {
      const login = await client.post('/login', { json: { username: 'ann' } });
      expect(login.status).to.equal(200);
      const { user } = login.json as { user: { id: string; username: string; emailConfirmed: boolean } };
      expect(user).to.include({ username: 'ann', emailConfirmed: false });
      expect(user.id).to.be.a('string');
      expect((await client.get('/whoami')).json).to.deep.equal({ user });
      const cookie = client.cookieHeader();
      const logout = await client.post('/auth/logout');
      expect(logout.json).to.deep.include({ loggedOut: true, revoked: true });
      const after = await client.get('/whoami');
      expect(after.status).to.equal(401);
      expect(after.json).to.deep.equal({ error: 'not_logged_in' });
      expect((await client.get('/whoami', { cookieHeader: cookie })).status).to.equal(401);
    });

    it('§E: login accepts a form post, rejects a missing username with 400, and any username logs in as the same user again', async () => {
      const first = await client.post('/login', { form: { username: 'bob' } });
      expect(first.status).to.equal(200);
      const again = await new Client(app.url).post('/login', { json: { username: 'bob' } });
      expect((again.json as { user: { id: string } }).user.id).to.equal((first.json as { user: { id: string } }).user.id);
      for (const body of [{}, { username: '' }, { username: 42 }, { username: 'x'.repeat(65) }]) {
        const reply = await new Client(app.url).post('/login', { json: body });
        expect(reply.status, JSON.stringify(body)).to.equal(400);
        expect(reply.setCookies, JSON.stringify(body)).to.deep.equal([]);
      }
    });

    it('§E, T6: login regenerates the session id and keeps the session data', async () => {
      expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
      const before = client.cookieHeader();
      await client.post('/login', { json: { username: 'carol' } });
      expect(client.cookieHeader()).to.not.equal(before);
      expect((await client.post('/counter')).json).to.deep.equal({ counter: 2 });
      expect((await client.post('/counter', { cookieHeader: before })).json).to.deep.equal({ counter: 1 });
    });

    it('§E: POST /verify-email marks the user confirmed in the users table; whoami shows it', async () => {
      expect((await client.post('/verify-email')).status).to.equal(401);
      await client.post('/login', { json: { username: 'dave' } });
      expect((await client.post('/verify-email')).json).to.deep.equal({ ok: true });
      expect((await client.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': true });
      const other = new Client(app.url);
      const relogin = await other.post('/login', { json: { username: 'dave' } });
      expect(relogin.json).to.deep.nested.include({ 'user.emailConfirmed': true });
    });

    it('§E: POST /counter increments a counter kept in the session', async () => {
      for (let n = 1; n <= 3; n += 1) expect((await client.post('/counter')).json).to.deep.equal({ counter: n });
      expect((await new Client(app.url).post('/counter')).json).to.deep.equal({ counter: 1 });
    });

    it('§E, T8: PUT /data/:key from concurrent requests keeps every key; DELETE removes one for good', async () => {
      await client.request('PUT', '/data/seed', { json: { value: 0 } });
      const keys = Array.from({ length: 8 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((key, i) => client.request('PUT', `/data/${key}`, { json: { value: i } })));
      const expected = Object.fromEntries([['seed', 0], ...keys.map((key, i) => [key, i])]);
      expect((await client.get('/data')).json).to.deep.equal({ data: expected });
      await Promise.all([
        client.request('DELETE', '/data/seed'),
        client.request('PUT', '/data/extra', { json: { value: 'x' } }),
      ]);
      const { data } = (await client.get('/data')).json as { data: Record<string, unknown> };
      expect(data).to.not.have.property('seed');
      expect(data).to.include({ extra: 'x', k7: 7 });
      expect((await client.request('PUT', '/data/bad key', { json: { value: 1 } })).status).to.equal(400);
    });

    it('§E, U2: POST /verify-email in one session shows emailConfirmed in every other session of the user, without re-login', async () => {
      const other = new Client(app.url);
      const erin = unique('erin');
      await client.post('/login', { json: { username: erin } });
      await other.post('/login', { json: { username: erin } });
      expect((await other.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': false });
      expect((await client.post('/verify-email')).json).to.deep.equal({ ok: true });
      expect((await other.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': true });
      expect((await client.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': true });
    });

    it('§E, U4: GET /sessions lists the user\'s sessions; revoking one logs that device out', async () => {
      expect((await client.get('/sessions')).status).to.equal(401);
      const phone = new Client(app.url);
      const fred = unique('fred');
      await client.post('/login', { json: { username: fred }, headers: { 'user-agent': 'Laptop' } });
      await phone.post('/login', { json: { username: fred }, headers: { 'user-agent': 'Phone' } });
      const { sessions } = (await client.get('/sessions')).json as { sessions: Array<Record<string, unknown>> };
      expect(sessions.map((s) => [s['userAgent'], s['current']]).sort()).to.deep.equal([['Laptop', true], ['Phone', false]]);
      for (const session of sessions) expect(session).to.have.keys(['handle', 'createdAt', 'lastSeenAt', 'authenticatedAt', 'userAgent', 'current']);
      const phoneHandle = sessions.find((s) => s['userAgent'] === 'Phone')!['handle'] as string;
      expect((await client.post(`/sessions/${encodeURIComponent(phoneHandle)}/revoke`)).json).to.deep.equal({ revoked: true });
      expect((await phone.get('/whoami')).status).to.equal(401);
      expect((await client.get('/whoami')).status).to.equal(200);
    });

    it('§E, L4: POST /auth/logout-all logs out every session of the user', async () => {
      const phone = new Client(app.url);
      const gail = unique('gail');
      await client.post('/login', { json: { username: gail } });
      await phone.post('/login', { json: { username: gail } });
      const reply = await client.post('/auth/logout-all');
      expect(reply.json).to.deep.equal({ loggedOut: true, revoked: true });
      expect((await client.get('/whoami')).status).to.equal(401);
      expect((await phone.get('/whoami')).status).to.equal(401);
    });
  });
  describeExampleContractV2(target, env);
  describeExampleContractPolicies(target, env);
}
