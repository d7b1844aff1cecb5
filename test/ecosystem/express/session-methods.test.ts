import { expect } from 'chai';
import type { Request } from 'express';
import { SessionDataError } from '@sessionware/core';
import type { Reply } from '@sessionware/test-support';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, readKey, type StartedApp } from './matrix-app.js';

/**
 * SPEC R4, R5: the express-session method forms (what passport and other middleware call)
 * and the `req.session = null` idiom. Callbacks are called exactly once, error first.
 */

type Callback = (error?: unknown) => void;
/** The express-session forms of the session methods, as middleware written for it calls them. */
interface ExpressSessionForms {
  regenerate(callback?: Callback): unknown;
  save(callback?: Callback): unknown;
  destroy(callback?: Callback): unknown;
  reload(callback?: Callback): unknown;
  touch(): unknown;
}

function forms(req: Request): ExpressSessionForms {
  return req.session as unknown as ExpressSessionForms;
}

const METHODS = ['regenerate', 'save', 'destroy', 'reload'] as const;

function expectBothCleared(reply: Reply): void {
  for (const name of ['sw.sid', 'sw.sid.active']) {
    expect(reply.cookie(name)?.attributes['max-age'], `${name} cleared`).to.equal('0');
  }
}

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`R4, R5 express-session method forms and req.session = null (${version})`, () => {
    const apps = appsFor(x);

    /** An app with a session holding `mark: 'before'`; answers the app and that session's Cookie header. */
    async function withSession(routes: Parameters<typeof apps.start>[0]): Promise<{ target: StartedApp; cookieHeader: string }> {
      const target = await apps.start(routes);
      const created = await within(target.client.post('/write/mark/before'), 'POST /write/mark/before');
      expect(created.cookie('sw.sid')).to.not.equal(undefined);
      return { target, cookieHeader: target.client.cookieHeader() };
    }

    for (const method of METHODS) {
      it(`R4: req.session.${method}(cb) calls back once with no error, and the request answers`, async () => {
        const calls: unknown[] = [];
        const { target, cookieHeader } = await withSession({
          routes: (app) => {
            app.post('/call', (req, res) => {
              forms(req)[method]((error?: unknown) => {
                calls.push(error ?? null);
                if (calls.length === 1) res.json({ called: true });
              });
            });
          },
        });
        const reply = await within(target.client.post('/call'), `POST /call (${method}(cb))`);
        expect(reply.status, reply.body).to.equal(200);
        expect(reply.json).to.deep.equal({ called: true });
        expect(calls).to.deep.equal([null]);
        if (method === 'regenerate') {
          expect(reply.cookie('sw.sid')?.value, 'a new session id').to.not.equal(undefined);
          expect(await readKey(target, 'mark', cookieHeader), 'the old id after regenerate').to.equal(null);
        }
        if (method === 'destroy') {
          expectBothCleared(reply);
          expect(await readKey(target, 'mark', cookieHeader), 'the old cookie after destroy').to.equal(null);
        }
        if (method === 'save' || method === 'reload') expect(await readKey(target, 'mark')).to.equal('before');
        await expectAlive(target);
      });

      it(`R4: req.session.${method}() without a callback returns a promise that resolves`, async () => {
        const { target } = await withSession({
          routes: (app) => {
            app.post('/call', (req, res, next) => {
              const result = forms(req)[method]();
              if (typeof (result as Promise<unknown> | undefined)?.then !== 'function') {
                res.status(500).json({ error: `${method}() returned ${typeof result}, not a promise` });
                return;
              }
              (result as Promise<unknown>).then(() => res.json({ resolved: true }), next);
            });
          },
        });
        const reply = await within(target.client.post('/call'), `POST /call (${method}())`);
        expect(reply.status, reply.body).to.equal(200);
        expect(reply.json).to.deep.equal({ resolved: true });
        await expectAlive(target);
      });
    }

    it('R4: req.session.touch() keeps the session and the request answers', async () => {
      const { target } = await withSession({
        routes: (app) => {
          app.post('/touch', (req, res) => {
            forms(req).touch();
            res.json({ touched: true });
          });
        },
      });
      const reply = await within(target.client.post('/touch'), 'POST /touch');
      expect(reply.status, reply.body).to.equal(200);
      expect(await readKey(target, 'mark')).to.equal('before');
      await expectAlive(target);
    });

    it('R5: req.session = null destroys the session like destroy(): both cookies cleared, the old cookie dead', async () => {
      const { target, cookieHeader } = await withSession({
        routes: (app) => {
          app.post('/forget', (req, res) => {
            (req as { session: unknown }).session = null;
            res.json({ forgotten: true });
          });
        },
      });
      const reply = await within(target.client.post('/forget'), 'POST /forget');
      expect(reply.status, reply.body).to.equal(200);
      expectBothCleared(reply);
      expect(await readKey(target, 'mark', cookieHeader), 'the old cookie replayed').to.equal(null);
      await expectAlive(target);
    });

    it('R5: assigning any other value to req.session throws SessionDataError at the assignment; the session stays', async () => {
      const { target } = await withSession({
        routes: (app) => {
          app.post('/replace', (req, res) => {
            const thrown: unknown[] = [];
            for (const value of [{}, 'text', 0, undefined]) {
              try {
                (req as { session: unknown }).session = value;
                thrown.push(null);
              } catch (error) {
                thrown.push(error instanceof SessionDataError ? error.code : String(error));
              }
            }
            res.json({ thrown });
          });
        },
      });
      const reply = await within(target.client.post('/replace'), 'POST /replace');
      expect(reply.status, reply.body).to.equal(200);
      expect(reply.json).to.deep.equal({ thrown: ['ERR_SESSION_DATA', 'ERR_SESSION_DATA', 'ERR_SESSION_DATA', 'ERR_SESSION_DATA'] });
      expect(await readKey(target, 'mark')).to.equal('before');
      await expectAlive(target);
    });
  });
}
