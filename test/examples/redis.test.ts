import type { ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { Client, type RedisServer, startRedisServer } from '@sessionware/test-support';
import { describeExampleContract } from './contract.js';
import { startDemo, stopDemo } from './demo.js';
import { EXAMPLE_SECRETS, expressExample, koaExample } from './targets.js';

describe('the examples on Redis (REDIS_URL set)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(() => redis?.stop());

  describeExampleContract(expressExample, () => ({ REDIS_URL: redis.url }));
  describeExampleContract(koaExample, () => ({ REDIS_URL: redis.url }));

  describe('K4, T8: running example processes sharing one Redis', () => {
    const started: ChildProcess[] = [];
    afterEach(async () => {
      await Promise.all(started.splice(0).map(stopDemo));
    });
    const env = () => ({ PORT: '0', REDIS_URL: redis.url, SESSION_SECRETS: EXAMPLE_SECRETS });
    async function demo(command: string[]) {
      const running = await startDemo(command, env());
      started.push(running.child);
      expect(running.output()).to.include('(Redis)');
      return running;
    }

    it('K4: two instances accept each other\'s cookies, and a session survives a restart', async () => {
      const first = await demo(['pnpm', 'demo']);
      const second = await demo(['pnpm', 'demo:koa']);
      const client = new Client(first.url);
      const login = await client.post('/login', { json: { username: 'kim' } });
      expect(login.status).to.equal(200);
      const onSecond = await client.get(new URL('/whoami', second.url).href);
      expect(onSecond.json).to.deep.equal(login.json);
      expect((await client.post(new URL('/verify-email', second.url).href)).json).to.deep.equal({ ok: true });
      expect((await client.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': true });

      await stopDemo(first.child);
      const restarted = await demo(['pnpm', 'demo']);
      const afterRestart = await client.get(new URL('/whoami', restarted.url).href);
      expect(afterRestart.status).to.equal(200);
      expect(afterRestart.json).to.deep.nested.include({ 'user.username': 'kim', 'user.emailConfirmed': true });
    });

    it('T8: concurrent writes of different keys through two instances all persist', async () => {
      const first = await demo(['pnpm', 'demo']);
      const second = await demo(['pnpm', 'demo:koa']);
      const client = new Client(first.url);
      await client.post('/login', { json: { username: 'lee' } });
      const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
      await Promise.all(keys.map((key, i) =>
        client.request('PUT', new URL(`/data/${key}`, i % 2 === 0 ? first.url : second.url).href, { json: { value: i } })));
      const { data } = (await client.get(new URL('/data', second.url).href)).json as { data: Record<string, number> };
      expect(data).to.deep.equal(Object.fromEntries(keys.map((key, i) => [key, i])));
      expect((await client.get('/whoami')).json).to.deep.nested.include({ 'user.username': 'lee' });
    });

    it('U2, U4, L5: across two processes, a change reaches the other device, and a revoked cookie stays dead after a restart', async () => {
      const first = await demo(['pnpm', 'demo']);
      let second = await demo(['pnpm', 'demo:koa']);
      const laptop = new Client(first.url);
      const phone = new Client(second.url);
      await laptop.post('/login', { json: { username: 'max' }, headers: { 'user-agent': 'Laptop' } });
      await phone.post('/login', { json: { username: 'max' }, headers: { 'user-agent': 'Phone' } });
      expect((await phone.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': false });
      expect((await laptop.post('/verify-email')).json).to.deep.equal({ ok: true });
      expect((await phone.get('/whoami')).json).to.deep.nested.include({ 'user.emailConfirmed': true });

      const phoneCookie = phone.cookieHeader();
      const { sessions } = (await laptop.get('/sessions')).json as { sessions: Array<{ handle: string; userAgent: string }> };
      const handle = sessions.find((session) => session.userAgent === 'Phone')!.handle;
      expect((await laptop.post(`/sessions/${encodeURIComponent(handle)}/revoke`)).json).to.deep.equal({ revoked: true });
      await stopDemo(second.child);
      second = await demo(['pnpm', 'demo:koa']);
      expect((await phone.get(new URL('/whoami', second.url).href, { cookieHeader: phoneCookie })).status).to.equal(401);
      expect((await laptop.get(new URL('/whoami', second.url).href)).status).to.equal(200);
    });
  });
});
