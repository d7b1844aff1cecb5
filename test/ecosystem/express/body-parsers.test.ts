import { expect } from 'chai';
import type { Express } from 'express';
import { within, type RawReply } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey, type ExpressModule, type StartedApp } from './matrix-app.js';

/**
 * SPEC R3, L2 (v2): `express.json()` / `express.urlencoded()` mounted before `session()`, as in
 * the README. A bad body gets the parser's answer on a normal route and leaves the session as
 * it was; on `POST /auth/logout` the logout needs no body, so it still logs out.
 */

const LIMIT = '1kb';
const OVERSIZED_JSON = JSON.stringify({ filler: 'x'.repeat(4096) });

function parsers(app: Express, x: ExpressModule): void {
  app.use(x.json({ limit: LIMIT }));
  app.use(x.urlencoded({ extended: false, limit: LIMIT }));
}

interface BadBody {
  name: string;
  contentType: string;
  body: string;
  status: number;
  type: string;
}

const BAD_BODIES: readonly BadBody[] = [
  { name: 'malformed JSON', contentType: 'application/json', body: '{"item": ', status: 400, type: 'entity.parse.failed' },
  { name: 'oversized JSON', contentType: 'application/json', body: OVERSIZED_JSON, status: 413, type: 'entity.too.large' },
  { name: 'oversized urlencoded form', contentType: 'application/x-www-form-urlencoded', body: `filler=${'x'.repeat(4096)}`, status: 413, type: 'entity.too.large' },
];

/** A session with `mark: 'before'`; answers its Cookie header. */
async function withSession(target: StartedApp): Promise<string> {
  const created = await within(target.client.post('/write/mark/before'), 'POST /write/mark/before');
  expect(created.status).to.equal(200);
  expect(created.cookie('sw.sid')).to.not.equal(undefined);
  return target.client.cookieHeader();
}

function expectBothCleared(reply: RawReply): void {
  for (const name of ['sw.sid', 'sw.sid.active']) {
    const cookie = reply.cookie(name);
    expect(cookie, `Set-Cookie of ${name}`).to.not.equal(undefined);
    expect(cookie?.attributes['max-age'], `${name} cleared`).to.equal('0');
  }
}

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`R3, L2 body parsers before session() (${version})`, () => {
    const apps = appsFor(x);

    for (const bad of BAD_BODIES) {
      it(`R3: ${bad.name} on a normal route gets the parser's ${bad.status}, the session is untouched`, async () => {
        let handled = false;
        const target = await apps.start({
          before: (app) => parsers(app, x),
          routes: (app) => {
            app.post('/cart', (req, res) => {
              handled = true;
              mark(req, 'mark', 'after');
              res.json({ ok: true });
            });
          },
        });
        const cookieHeader = await withSession(target);
        const reply = await within(
          target.raw('/cart', { method: 'POST', headers: { 'content-type': bad.contentType, cookie: cookieHeader }, body: bad.body }),
          `POST /cart with ${bad.name}`,
        );
        expect(reply.status).to.equal(bad.status);
        expect(JSON.parse(reply.body.toString())).to.deep.equal({ error: bad.type });
        expect(handled).to.equal(false);
        expect(reply.setCookies, 'no cookie set or cleared').to.deep.equal([]);
        expect(await readKey(target, 'mark', cookieHeader)).to.equal('before');
        await expectAlive(target);
      });
    }

    for (const bad of BAD_BODIES.filter((b) => b.contentType === 'application/json')) {
      it(`L2 (v2), L5: POST /auth/logout (sessions.logoutRouter()) with ${bad.name} still logs out: 200, both cookies cleared, the old cookie dead`, async () => {
        const target = await apps.start({ before: (app) => parsers(app, x), logout: 'middleware' });
        const cookieHeader = await withSession(target);
        const reply = await within(
          target.raw('/auth/logout', { method: 'POST', headers: { 'content-type': bad.contentType, accept: 'application/json', cookie: cookieHeader }, body: bad.body }),
          'POST /auth/logout',
        );
        expect(reply.status, reply.body.toString()).to.equal(200);
        expect(JSON.parse(reply.body.toString())).to.deep.include({ loggedOut: true, revoked: true });
        expectBothCleared(reply);
        expect(await readKey(target, 'mark', cookieHeader), 'the old cookie after logout').to.equal(null);
        await expectAlive(target);
      });

      // The parser failed before session() ran, so the standalone router has no session to end:
      // it still answers 2xx and clears both cookies, and says the record was not revoked (L2, L6).
      it(`L2 (v2), L6: POST /auth/logout (logoutRouter()) with ${bad.name} answers 200 and clears both cookies, saying the record was not revoked`, async () => {
        const target = await apps.start({ before: (app) => parsers(app, x), logout: 'standalone' });
        const cookieHeader = await withSession(target);
        const reply = await within(
          target.raw('/auth/logout', { method: 'POST', headers: { 'content-type': bad.contentType, accept: 'application/json', cookie: cookieHeader }, body: bad.body }),
          'POST /auth/logout',
        );
        expect(reply.status, reply.body.toString()).to.equal(200);
        expect(JSON.parse(reply.body.toString())).to.deep.equal({ loggedOut: true, revoked: false, errors: ['ERR_SESSION_CONFIG'] });
        expectBothCleared(reply);
        await expectAlive(target);
      });
    }
  });
}
