import { expect } from 'chai';
import flash from 'connect-flash';
import cors from 'cors';
import { csrfSync } from 'csrf-sync';
import type { Express } from 'express';
import helmet from 'helmet';
import createError from 'http-errors';
import morgan from 'morgan';
import multer from 'multer';
import { parseSetCookie } from '@sessionware/test-support';
import { absorbCookies, deferred, textOfSize, within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey, type AppSetup } from './matrix-app.js';

/**
 * SPEC R3 (with T3, T7): sessionware among the usual Express middleware. Each case checks
 * the middleware's own answer, that the session write was stored (a later request reads it),
 * and that the server still answers.
 */

const ORIGIN = 'http://app.example';

/** A route that writes the session and answers JSON. */
function visit(app: Express): void {
  app.post('/visit', (req, res) => {
    mark(req, 'written', 'visit');
    res.json({ ok: true });
  });
}

/** `middleware` mounted before or after `session()`, then `routes`. */
function placed(placement: 'before' | 'after', middleware: (app: Express) => void, routes: (app: Express) => void): AppSetup {
  return placement === 'before'
    ? { before: middleware, routes }
    : { routes: (app) => { middleware(app); routes(app); } };
}

for (const [version, x] of EXPRESS_VERSIONS) {
  describe(`R3 Express middleware with sessionware (${version})`, () => {
    const apps = appsFor(x);

    for (const placement of ['before', 'after'] as const) {
      it(`R3, T7: helmet() ${placement} session(): security headers and the session cookies on one response`, async () => {
        const target = await apps.start(placed(placement, (app) => app.use(helmet()), visit));
        const reply = await within(target.client.post('/visit'), 'POST /visit');
        expect(reply.status).to.equal(200);
        expect(reply.json).to.deep.equal({ ok: true });
        expect(reply.headers.get('x-content-type-options')).to.equal('nosniff');
        expect(reply.headers.get('content-security-policy')).to.be.a('string');
        expect(reply.headers.get('strict-transport-security')).to.be.a('string');
        expect(reply.cookie('sw.sid')).to.not.equal(undefined);
        expect(reply.cookie('sw.sid.active')).to.not.equal(undefined);
        expect(await readKey(target, 'written')).to.equal('visit');
        await expectAlive(target);
      });

      it(`R3, T7: morgan ${placement} session() logs the request with its status and response time`, async () => {
        const logged = deferred<string>();
        const stream = { write: (line: string) => logged.resolve(line) };
        const target = await apps.start(placed(placement, (app) => app.use(morgan(':method :url :status :res[content-length] :response-time', { stream })), visit));
        const reply = await within(target.client.post('/visit'), 'POST /visit');
        expect(reply.status).to.equal(200);
        expect(reply.cookie('sw.sid')).to.not.equal(undefined);
        const line = await within(logged.promise, 'the morgan log line');
        expect(line).to.match(/^POST \/visit 200 11 \d+\.\d+\n$/);
        expect(await readKey(target, 'written')).to.equal('visit');
        await expectAlive(target);
      });
    }

    it('R3, T3: cors before session(): a preflight OPTIONS is answered by cors and creates no session', async () => {
      const target = await apps.start({ before: (app) => app.use(cors({ origin: ORIGIN, credentials: true })), routes: visit });
      const reply = await within(target.client.request('OPTIONS', '/visit', {
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }), 'OPTIONS /visit');
      expect(reply.status).to.equal(204);
      expect(reply.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
      expect(reply.headers.get('access-control-allow-credentials')).to.equal('true');
      expect(reply.headers.get('access-control-allow-methods')).to.include('POST');
      expect(reply.setCookies).to.deep.equal([]);
      expect(await readKey(target, 'written')).to.equal(null);
      await expectAlive(target);
    });

    it('R3, T7: cors before session(): a credentialed cross-origin GET gets the CORS headers and the session cookies', async () => {
      const target = await apps.start({
        before: (app) => app.use(cors({ origin: ORIGIN, credentials: true })),
        routes: (app) => {
          app.get('/profile', (req, res) => {
            mark(req, 'written', 'cors');
            res.json({ ok: true });
          });
        },
      });
      const reply = await within(target.client.get('/profile', { headers: { origin: ORIGIN } }), 'GET /profile');
      expect(reply.status).to.equal(200);
      expect(reply.headers.get('access-control-allow-origin')).to.equal(ORIGIN);
      expect(reply.headers.get('access-control-allow-credentials')).to.equal('true');
      expect(reply.cookie('sw.sid')).to.not.equal(undefined);
      expect(await readKey(target, 'written')).to.equal('cors');
      await expectAlive(target);
    });

    it('R3, T7: multer: a multipart upload with a file and a field, and a session write in the same request', async () => {
      const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 1024 * 1024 } });
      const content = textOfSize(10_000);
      const target = await apps.start({
        routes: (app) => {
          app.post('/upload', upload.single('file'), (req, res) => {
            const file = req.file;
            if (file === undefined) {
              res.status(400).json({ error: 'no file' });
              return;
            }
            const body = req.body as Record<string, unknown>;
            mark(req, 'upload', { name: file.originalname, size: file.size, note: body['note'] ?? null });
            res.json({ size: file.size, same: file.buffer.toString() === content });
          });
        },
      });
      const form = new FormData();
      form.append('note', 'quarterly');
      form.append('file', new Blob([content], { type: 'text/plain' }), 'notes.txt');
      const response = await within(fetch(new URL('/upload', target.url), { method: 'POST', body: form }), 'POST /upload');
      absorbCookies(target.client, response.headers.getSetCookie().map(parseSetCookie));
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ size: content.length, same: true });
      expect(target.client.jar.has('sw.sid'), 'session cookie on the upload response').to.equal(true);
      expect(await readKey(target, 'upload')).to.deep.equal({ name: 'notes.txt', size: content.length, note: 'quarterly' });
      await expectAlive(target);
    });

    it('R3, T4: connect-flash: a message flashed on one request is read once on the next', async () => {
      const target = await apps.start({
        routes: (app) => {
          app.use(flash());
          app.post('/flash', (req, res) => {
            req.flash('info', 'saved');
            res.json({ ok: true });
          });
          app.get('/flash', (req, res) => {
            res.json({ info: req.flash('info') });
          });
        },
      });
      const set = await within(target.client.post('/flash'), 'POST /flash');
      expect(set.status).to.equal(200);
      expect(set.cookie('sw.sid')).to.not.equal(undefined);
      const first = await within(target.client.get('/flash'), 'GET /flash');
      expect(first.json).to.deep.equal({ info: ['saved'] });
      const second = await within(target.client.get('/flash'), 'GET /flash again');
      expect(second.json).to.deep.equal({ info: [] });
      await expectAlive(target);
    });

    it('R3, T7: csrf-sync: the token is kept in the session; a POST without it gets 403 and changes nothing, with it 200', async () => {
      const { generateToken, csrfSynchronisedProtection } = csrfSync({ getTokenFromRequest: (req) => req.get('x-csrf-token') });
      const target = await apps.start({
        routes: (app) => {
          app.get('/csrf', (req, res) => {
            res.json({ token: generateToken(req) });
          });
          app.post('/protected', csrfSynchronisedProtection, (req, res) => {
            mark(req, 'written', 'csrf');
            res.json({ ok: true });
          });
        },
      });
      const issued = await within(target.client.get('/csrf'), 'GET /csrf');
      expect(issued.status).to.equal(200);
      expect(issued.cookie('sw.sid'), 'the token is stored in a new session').to.not.equal(undefined);
      const token = (issued.json as { token: unknown }).token;
      expect(token).to.be.a('string');
      expect(await readKey(target, 'csrfToken')).to.equal(token);

      const refused = await within(target.client.post('/protected'), 'POST /protected without token');
      expect(refused.status).to.equal(403);
      expect(refused.json).to.deep.equal({ error: 'EBADCSRFTOKEN' });
      expect(await readKey(target, 'written')).to.equal(null);

      const accepted = await within(target.client.post('/protected', { headers: { 'x-csrf-token': String(token) } }), 'POST /protected with token');
      expect(accepted.status).to.equal(200);
      expect(accepted.json).to.deep.equal({ ok: true });
      expect(await readKey(target, 'written')).to.equal('csrf');
      await expectAlive(target);
    });

    it('R3, T7: http-errors: next(createError(404)) after a session write answers 404 and the write is stored', async () => {
      const target = await apps.start({
        routes: (app) => {
          app.get('/reports/:id', (req, _res, next) => {
            mark(req, 'written', 'http-errors');
            next(createError(404, 'no such report'));
          });
        },
      });
      const reply = await within(target.client.get('/reports/7'), 'GET /reports/7');
      expect(reply.status).to.equal(404);
      expect(reply.json).to.deep.equal({ error: 'no such report' });
      expect(reply.cookie('sw.sid'), 'session cookie on the error answer').to.not.equal(undefined);
      expect(await readKey(target, 'written')).to.equal('http-errors');
      await expectAlive(target);
    });
  });
}
