import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Client, elapse } from '@sessionware/test-support';
import type { ExampleTarget } from './targets.js';

/** A username no earlier test (or run on the same Redis) used. */
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}`;

/**
 * The policies the examples take from the environment (SPEC §E, P2, P4), run against each
 * example app: SESSION_MAX_PER_USER and SESSION_RENEWAL_INTERVAL / SESSION_RENEWAL_GRACE.
 */
export function describeExampleContractPolicies(target: ExampleTarget, env: () => Record<string, string>): void {
  describe(`example HTTP contract v2, session policies (SPEC §E, P2, P4): ${target.name}`, () => {
    let app: { url: string; close(): Promise<void> } | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    it('§E, P4: with SESSION_MAX_PER_USER=2 a third login of the user ends the least recently seen session', async () => {
      app = await target.start({ ...env(), SESSION_MAX_PER_USER: '2' });
      const name = unique('cap');
      const [laptop, phone, tablet] = ['Laptop', 'Phone', 'Tablet'].map(() => new Client(app!.url));
      await laptop!.post('/login', { json: { username: name }, headers: { 'user-agent': 'Laptop' } });
      await phone!.post('/login', { json: { username: name }, headers: { 'user-agent': 'Phone' } });
      // The laptop is seen after the phone: the phone is now the least recently seen.
      expect((await laptop!.get('/whoami')).status).to.equal(200);
      expect((await tablet!.post('/login', { json: { username: name }, headers: { 'user-agent': 'Tablet' } })).status).to.equal(200);
      expect((await phone!.get('/whoami')).status).to.equal(401);
      expect((await laptop!.get('/whoami')).status).to.equal(200);
      const { sessions } = (await tablet!.get('/sessions')).json as { sessions: Array<{ userAgent: string }> };
      expect(sessions.map((session) => session.userAgent).sort()).to.deep.equal(['Laptop', 'Tablet']);
    });

    it('§E, P2: with SESSION_RENEWAL_INTERVAL a logged-in session gets a new id once it is older (data and handle kept); the old cookie works for SESSION_RENEWAL_GRACE, then is dead', async () => {
      app = await target.start({ ...env(), SESSION_RENEWAL_INTERVAL: '400ms', SESSION_RENEWAL_GRACE: '300ms' });
      const client = new Client(app.url);
      await client.post('/login', { json: { username: unique('ren') } });
      const loggedInAt = Date.now();
      expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
      const oldCookie = client.cookieHeader();
      const { sessions: before } = (await client.get('/sessions')).json as { sessions: Array<{ handle: string }> };
      await elapse(loggedInAt + 400 - Date.now() + 30);
      const renewing = await client.get('/whoami');
      expect(renewing.status).to.equal(200);
      const renewedAt = Date.now();
      expect(renewing.cookie('sw.sid')?.value, 'a new session cookie').to.be.a('string');
      expect(client.cookieHeader()).to.not.equal(oldCookie);
      expect((await client.post('/counter')).json).to.deep.equal({ counter: 2 });
      const { sessions: after } = (await client.get('/sessions')).json as { sessions: Array<{ handle: string }> };
      expect(after.map((session) => session.handle)).to.deep.equal(before.map((session) => session.handle));
      // The old cookie from another client, so its answers (cookies re-issued, then cleared) leave this jar alone.
      const stale = new Client(app.url);
      expect((await stale.get('/whoami', { cookieHeader: oldCookie })).status, 'the old id within the grace').to.equal(200);
      await elapse(renewedAt + 300 - Date.now() + 30);
      expect((await stale.get('/whoami', { cookieHeader: oldCookie })).status, 'the old id after the grace').to.equal(401);
      expect((await client.get('/whoami')).status, 'the new id').to.equal(200);
    });
  });
}
