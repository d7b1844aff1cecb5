import { expect } from 'chai';
import { userSessions } from '@sessionware/core';
import { elapse, type Client, type Reply } from '@sessionware/test-support';
import { expectBothCleared } from './cookies.js';
import type { Harness, TestApp, TestAppOptions } from './harness.js';

const ANN = { id: 'u-ann', name: 'Ann' };

/** Logs a new client in as Ann, sending `userAgent`; answers the client and the reply. */
async function logIn(app: TestApp, userAgent: string, client: Client = app.client()): Promise<{ client: Client; reply: Reply }> {
  const reply = await client.post('/login-user', { json: { userId: ANN.id }, headers: { 'user-agent': userAgent } });
  return { client, reply };
}

/** Waits for the clock to move on, so the next load's lastSeenAt is later than every one before. */
async function nextMillisecond(): Promise<void> {
  const start = Date.now();
  while (Date.now() === start) await elapse(1);
}

/** The user agents of Ann's live sessions, as the store lists them, sorted. */
async function liveAgents(app: TestApp): Promise<string[]> {
  return (await userSessions(app.store.inner).list(ANN.id)).map((session) => session.userAgent ?? '').sort();
}

async function isAnn(client: Client): Promise<boolean> {
  return ((await client.get('/me')).json as { userId: string | null }).userId === ANN.id;
}

/**
 * Concurrent sessions per user (SPEC P4): a login beyond `maxSessionsPerUser` ends the least
 * recently seen session or is refused, and two logins racing at the cap never leave more.
 */
export function sessionLimitTests(h: Harness): void {
  describe('concurrent sessions per user (P4)', () => {
    const started: TestApp[] = [];
    const start = async (options: TestAppOptions): Promise<TestApp> => {
      const app = await h.start(options);
      app.users.set(ANN.id, ANN);
      started.push(app);
      return app;
    };
    afterEach(() => {
      // A failed test must leave no request waiting at a gate.
      for (const app of started.splice(0)) app.store.releaseAll();
    });

    it('P4: a login beyond the cap ends the least recently seen session: its cookie is anonymous, the others keep working', async () => {
      const app = await start({ maxSessionsPerUser: 2 });
      const phone = (await logIn(app, 'phone')).client;
      const laptop = (await logIn(app, 'laptop')).client;
      await nextMillisecond();
      // The phone logged in first and the laptop was seen since: the phone is the least recently seen.
      expect(await isAnn(laptop)).to.equal(true);
      await nextMillisecond();
      const tablet = await logIn(app, 'tablet');
      expect(tablet.reply.status).to.equal(200);
      expect(await liveAgents(app)).to.deep.equal(['laptop', 'tablet']);
      const ended = await phone.get('/me');
      expect(ended.json).to.deep.equal({ userId: null, user: null });
      expectBothCleared(ended);
      expect(await isAnn(laptop), 'laptop').to.equal(true);
      expect(await isAnn(tablet.client), 'tablet').to.equal(true);
    });

    it('P4: with onLimit refuse a login beyond the cap answers 409 ERR_SESSION_LIMIT, keeps its anonymous session, and the existing sessions keep working', async () => {
      const app = await start({ maxSessionsPerUser: 1, onLimit: 'refuse' });
      const laptop = (await logIn(app, 'laptop')).client;
      const other = app.client();
      await other.post('/set', { json: { cart: ['pen'] } });
      const anonymous = other.cookieHeader();
      const { reply } = await logIn(app, 'phone', other);
      expect(reply.status).to.equal(409);
      expect(reply.json).to.deep.equal({ error: 'ERR_SESSION_LIMIT' });
      expect(reply.setCookies, 'no cookie issued or cleared').to.deep.equal([]);
      expect(other.cookieHeader()).to.equal(anonymous);
      expect((await other.get('/read')).json, 'the anonymous session and its data').to.deep.equal({ data: { cart: ['pen'] } });
      expect(await isAnn(other)).to.equal(false);
      expect(await isAnn(laptop)).to.equal(true);
      expect(await liveAgents(app)).to.deep.equal(['laptop']);
      app.users.set('u-bob', { id: 'u-bob' });
      expect((await app.client().post('/login-user', { json: { userId: 'u-bob' } })).status, 'another user is not capped by Ann\'s sessions').to.equal(200);
    });

    for (const onLimit of ['end-least-recent', 'refuse'] as const) {
      for (const [step, setUp] of [['create', false], ['replace', true]] as const) {
        it(`P4, T8: two logins of one user racing at cap 1 (${onLimit}, both held at the store's ${step}) leave one live session, never two`, async () => {
          const app = await start({ maxSessionsPerUser: 1, onLimit });
          const [first, second] = [app.client(), app.client()];
          // With a session already, a login is a replace; without, a create.
          if (setUp) for (const client of [first, second]) await client.post('/set', { json: { cart: ['pen'] } });
          const gate = app.store.pause(step);
          const one = logIn(app, 'first', first);
          await gate.reached;
          const arrived = app.store.reached(step);
          const two = logIn(app, 'second', second);
          await arrived;
          gate.release();
          const statuses = [(await one).reply.status, (await two).reply.status].sort();
          expect(await liveAgents(app), 'live sessions').to.have.length(1);
          const loggedIn = [await isAnn(first), await isAnn(second)];
          expect(loggedIn.filter(Boolean), 'clients logged in').to.have.length(1);
          expect(statuses).to.deep.equal(onLimit === 'refuse' ? [200, 409] : [200, 200]);
        });
      }
    }

    it('P4, T8: at cap 2 with one session, three logins racing at the store leave at most two live sessions', async () => {
      const app = await start({ maxSessionsPerUser: 2 });
      const laptop = (await logIn(app, 'laptop')).client;
      const clients = [app.client(), app.client(), app.client()];
      const gate = app.store.pause('create');
      const logins: Array<Promise<{ reply: Reply }>> = [];
      for (const [n, client] of clients.entries()) {
        const arrived = n === 0 ? gate.reached : app.store.reached('create');
        logins.push(logIn(app, `racer ${n}`, client));
        await arrived;
      }
      gate.release();
      for (const login of logins) expect((await login).reply.status).to.equal(200);
      expect(await liveAgents(app)).to.have.length(2);
      const live = [await isAnn(laptop), ...(await Promise.all(clients.map(isAnn)))];
      expect(live.filter(Boolean), 'clients logged in').to.have.length(2);
    });
  });
}
