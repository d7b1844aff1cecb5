// What maxSessionsPerUser costs in Redis commands per HTTP request (SPEC P4), counted with INFO
// commandstats on two Express apps over one redis-server, one with the cap and one without:
// a login sends as many commands either way (the limit rides in its create or replace script),
// and a request that does not log in runs exactly the same commands.
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { SessionOptions } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';
import { Client, countCommands, useRedis } from '@sessionware/test-support';
import { startLoginApp, type LoginApp } from './login-app.js';

const SECRET = randomBytes(32).toString('base64url');

/** The commands the app itself sent: scripts and UNLINKs, not what ran inside the scripts. */
function sent(delta: Record<string, number>): number {
  return (delta['evalsha'] ?? 0) + (delta['eval'] ?? 0) + (delta['unlink'] ?? 0);
}

describe('Redis commands per HTTP request with maxSessionsPerUser (Express, redisStore)', () => {
  const redis = useRedis();
  const apps: Record<'capped' | 'uncapped', LoginApp | undefined> = { capped: undefined, uncapped: undefined };
  const count = (action: () => Promise<unknown>): Promise<Record<string, number>> => countCommands(redis().admin, action);
  const app = (which: keyof typeof apps): LoginApp => apps[which] ?? expect.fail(`the ${which} app is not running`);

  /** `POST /login-user` on `client`, as a fresh user unless told. */
  async function logIn(client: Client, userId = `u:${randomUUID()}`): Promise<Client> {
    expect((await client.request('POST', '/login-user', { json: { userId } })).status).to.equal(200);
    return client;
  }

  before(async () => {
    const options: SessionOptions = { secrets: [SECRET], loadUser: async (userId) => ({ username: userId }) as never };
    apps.capped = await startLoginApp(redisStore(redis().client, { prefix: 'capped:' }), { ...options, maxSessionsPerUser: 3 });
    apps.uncapped = await startLoginApp(redisStore(redis().client, { prefix: 'uncapped:' }), options);
    // Warm-up: ioredis sends each script with EVAL the first time, EVALSHA after.
    for (const which of ['capped', 'uncapped'] as const) {
      const warm = new Client(app(which).url);
      await warm.request('POST', '/counter');
      await logIn(warm);
      await logIn(new Client(app(which).url), 'warm');
      await warm.request('POST', '/counter');
      await warm.request('POST', '/auth/logout');
    }
  });

  after(async () => {
    await Promise.all(Object.values(apps).map((running) => running?.close()));
  });

  /** Runs `scenario` on both apps: what it cost, capped and uncapped. */
  async function onBoth(scenario: (which: keyof typeof apps) => Promise<() => Promise<unknown>>): Promise<{ capped: Record<string, number>; uncapped: Record<string, number> }> {
    const costs: Partial<Record<keyof typeof apps, Record<string, number>>> = {};
    for (const which of ['capped', 'uncapped'] as const) {
      const measured = await scenario(which);
      costs[which] = await count(measured);
    }
    return { capped: costs.capped ?? {}, uncapped: costs.uncapped ?? {} };
  }

  it('P4, T5: a login without a session sends one command with the cap as without: the create, which walks the user\'s index inside', async () => {
    const { capped, uncapped } = await onBoth(async (which) => {
      const userId = `u:${randomUUID()}`;
      await logIn(new Client(app(which).url), userId);
      const client = new Client(app(which).url);
      return () => logIn(client, userId);
    });
    expect(sent(capped)).to.equal(1);
    expect(sent(uncapped)).to.equal(1);
    expect(capped['hgetall'], 'the limit walk: the index').to.equal(1);
    expect(uncapped['hgetall'], 'no walk without the cap').to.equal(undefined);
  });

  it('P4, T6: a login over an anonymous session sends two commands with the cap as without: load and replace', async () => {
    const { capped, uncapped } = await onBoth(async (which) => {
      const client = new Client(app(which).url);
      await client.request('POST', '/counter');
      return () => logIn(client);
    });
    expect(sent(capped)).to.equal(2);
    expect(sent(uncapped)).to.equal(2);
  });

  for (const [title, request] of [
    ['an authenticated read-only request', (client: Client) => client.request('GET', '/whoami')],
    ['a modifying request', (client: Client) => client.request('POST', '/counter')],
    ['a logout', (client: Client) => client.request('POST', '/auth/logout')],
  ] as const) {
    it(`P4, T4: ${title} of a logged-in user's session runs exactly the same commands with the cap as without`, async () => {
      const { capped, uncapped } = await onBoth(async (which) => {
        const client = await logIn(new Client(app(which).url));
        return async () => expect((await request(client)).status).to.equal(200);
      });
      expect(capped).to.deep.equal(uncapped);
      expect(sent(capped)).to.be.at.least(1);
    });
  }

  it('P4, T3, T4: an anonymous session\'s requests run exactly the same commands with the cap as without', async () => {
    const { capped, uncapped } = await onBoth(async (which) => {
      const client = new Client(app(which).url);
      return async () => {
        await client.request('POST', '/counter');
        await client.request('POST', '/counter');
        await client.request('POST', '/auth/logout');
      };
    });
    expect(capped).to.deep.equal(uncapped);
  });
});
