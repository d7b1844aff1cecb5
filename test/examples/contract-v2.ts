import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client, elapse, type Reply } from '@sessionware/test-support';
import type { ExampleTarget } from './targets.js';

/** A username no earlier test (or run on the same Redis) used. */
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

/** What the peek `GET /auth/session` answers for a live session (SPEC P5). */
interface Peek {
  idleExpiresAt: number;
  absoluteExpiresAt: number;
  authenticatedAt: number | null;
}

/** One entry of `GET /sessions` (SPEC U4, P3). */
interface SessionEntry {
  handle: string;
  createdAt: number;
  lastSeenAt: number;
  authenticatedAt: number | null;
  userAgent: string | null;
  current: boolean;
}

const maxAgeOf = (reply: Reply, name: string) => reply.cookie(name)?.attributes['max-age'];

/** The current session's entry of `GET /sessions`. */
async function currentEntry(client: Client): Promise<SessionEntry> {
  const { sessions } = (await client.get('/sessions')).json as { sessions: SessionEntry[] };
  const entry = sessions.find((session) => session.current);
  if (entry === undefined) throw new Error('no current session in GET /sessions');
  return entry;
}

/** The routes and environment added with contract v2 (SPEC §E, P1, P3, P5), run against each example app. */
export function describeExampleContractV2(target: ExampleTarget, env: () => Record<string, string>): void {
  describe(`example HTTP contract v2 (SPEC §E, P1, P3, P5): ${target.name}`, () => {
    const running: Array<{ close(): Promise<void> }> = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()));
    });
    /** Starts the app with `extra` over the suite's environment; a client with an empty jar on it. */
    async function start(extra: Record<string, string> = {}) {
      const app = await target.start({ ...env(), ...extra });
      running.push(app);
      return { app, client: new Client(app.url) };
    }

    it('§E, P1: "remember": true gives both cookies the same Max-Age although SESSION_COOKIE_EXPIRY is browser-session; without it (or false) they stay browser-session', async () => {
      const { app, client } = await start({ SESSION_IDLE_TIMEOUT: '2h' });
      const remembered = await client.post('/login', { json: { username: unique('rita'), remember: true } });
      expect(remembered.status).to.equal(200);
      expect(Number(maxAgeOf(remembered, 'sw.sid'))).to.be.within(7_190, 7_200);
      expect(maxAgeOf(remembered, 'sw.sid.active')).to.equal(maxAgeOf(remembered, 'sw.sid'));
      for (const remember of [undefined, false]) {
        const plain = await new Client(app.url).post('/login', { json: { username: unique('sam'), remember } });
        expect(plain.status).to.equal(200);
        expect(plain.cookie('sw.sid'), `remember: ${remember}`).to.not.equal(undefined);
        expect(maxAgeOf(plain, 'sw.sid'), `remember: ${remember}`).to.equal(undefined);
        expect(maxAgeOf(plain, 'sw.sid.active'), `remember: ${remember}`).to.equal(undefined);
      }
    });

    it('§E, P1: the login form\'s checkbox (remember=on) remembers too; with SESSION_COOKIE_EXPIRY=persistent a login without it is persistent as configured', async () => {
      const { client } = await start();
      const form = await client.post('/login', { form: { username: unique('tess'), remember: 'on' } });
      expect(form.status).to.equal(200);
      expect(Number(maxAgeOf(form, 'sw.sid'))).to.be.greaterThan(0);
      const persistent = await start({ SESSION_COOKIE_EXPIRY: 'persistent' });
      const plain = await persistent.client.post('/login', { json: { username: unique('uma') } });
      expect(Number(maxAgeOf(plain, 'sw.sid'))).to.be.greaterThan(0);
    });

    it('§E, P3: GET /sensitive answers 200 right after login, 401 reauthentication_required once SESSION_FRESH_AGE has passed, 200 again after POST /reauthenticate', async () => {
      const { client } = await start({ SESSION_FRESH_AGE: '400ms' });
      expect([(await client.get('/sensitive')).status, (await client.post('/reauthenticate')).json]).to.deep.equal([401, { error: 'not_logged_in' }]);
      await client.post('/login', { json: { username: unique('vic') } });
      expect((await client.get('/sensitive')).json).to.deep.equal({ ok: true });
      const loggedIn = await currentEntry(client);
      expect(loggedIn.authenticatedAt).to.be.a('number');
      await elapse(loggedIn.authenticatedAt! + 400 - Date.now() + 20);
      const stale = await client.get('/sensitive');
      expect([stale.status, stale.json]).to.deep.equal([401, { error: 'reauthentication_required' }]);
      expect((await client.post('/reauthenticate')).json).to.deep.equal({ ok: true });
      expect((await client.get('/sensitive')).json).to.deep.equal({ ok: true });
      const reauthenticated = await currentEntry(client);
      expect(reauthenticated.authenticatedAt).to.be.greaterThan(loggedIn.authenticatedAt!);
      expect(reauthenticated.handle).to.equal(loggedIn.handle);
    });

    it('§E, P3, U4: GET /sessions entries carry authenticatedAt, the time of their login (ms since the epoch)', async () => {
      const { app, client } = await start();
      const name = unique('wes');
      const before = Date.now();
      await client.post('/login', { json: { username: name }, headers: { 'user-agent': 'Laptop' } });
      await new Client(app.url).post('/login', { json: { username: name }, headers: { 'user-agent': 'Phone' } });
      const after = Date.now();
      const { sessions } = (await client.get('/sessions')).json as { sessions: SessionEntry[] };
      expect(sessions).to.have.length(2);
      for (const session of sessions) {
        expect(session).to.have.keys(['handle', 'createdAt', 'lastSeenAt', 'authenticatedAt', 'userAgent', 'current']);
        expect(session.authenticatedAt).to.be.within(before, after);
      }
    });

    it('§E, P5: GET /auth/session answers the deadlines without sliding the idle one (repeated peeks report it unchanged, a whoami afterwards slides it) and sets no cookie', async () => {
      const { client } = await start();
      const anonymous = await client.get('/auth/session');
      expect([anonymous.status, anonymous.json]).to.deep.equal([401, { error: 'no_session' }]);
      await client.post('/login', { json: { username: unique('xena') } });
      const first = await client.get('/auth/session');
      expect(first.status).to.equal(200);
      const peek = first.json as Peek;
      expect(peek).to.have.keys(['idleExpiresAt', 'absoluteExpiresAt', 'authenticatedAt']);
      expect(peek.idleExpiresAt).to.be.within(Date.now() + 12 * 3_600_000 - 60_000, Date.now() + 12 * 3_600_000);
      expect(peek.absoluteExpiresAt).to.be.within(Date.now() + 7 * 86_400_000 - 60_000, Date.now() + 7 * 86_400_000);
      expect(peek.authenticatedAt).to.be.within(Date.now() - 60_000, Date.now());
      expect(first.setCookies).to.deep.equal([]);
      for (let n = 0; n < 3; n += 1) {
        // Time passes between peeks, so a slide would show as a later deadline.
        await elapse(15);
        const again = await client.get('/auth/session');
        expect(again.json, `peek ${n + 2}`).to.deep.equal(peek);
        expect(again.setCookies).to.deep.equal([]);
      }
      expect((await client.get('/whoami')).status).to.equal(200);
      const slid = (await client.get('/auth/session')).json as Peek;
      expect(slid.idleExpiresAt).to.be.greaterThan(peek.idleExpiresAt);
      expect(slid.absoluteExpiresAt).to.equal(peek.absoluteExpiresAt);
      await client.post('/auth/logout');
      expect((await client.get('/auth/session')).status).to.equal(401);
    });

    it('§E, P5: an anonymous session (POST /counter) peeks with authenticatedAt null', async () => {
      const { client } = await start();
      await client.post('/counter');
      const reply = await client.get('/auth/session');
      expect(reply.status).to.equal(200);
      expect((reply.json as Peek).authenticatedAt).to.equal(null);
    });

    it('§E, P5, T2: peeking does not keep a session alive: with a 600 ms idle timeout the session ends at its deadline although the page kept peeking', async () => {
      const { client } = await start({ SESSION_IDLE_TIMEOUT: '600ms' });
      await client.post('/login', { json: { username: unique('yan') } });
      const { idleExpiresAt } = (await client.get('/auth/session')).json as Peek;
      await elapse(300);
      expect(((await client.get('/auth/session')).json as Peek).idleExpiresAt).to.equal(idleExpiresAt);
      await elapse(idleExpiresAt - Date.now() + 30);
      expect((await client.get('/auth/session')).status).to.equal(401);
      expect((await client.get('/whoami')).status).to.equal(401);
    });
  });
}
