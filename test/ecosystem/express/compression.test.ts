import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { expect } from 'chai';
import compression from 'compression';
import type { Express, Response } from 'express';
import { parseSetCookie } from '@sessionware/test-support';
import { absorbCookies, deferred, textOfSize, within, type RawReply } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey, STORE_BACKENDS, type AppSetup, type StartedApp } from './matrix-app.js';
import { useFileFixture } from './files.js';

/**
 * SPEC R1, R3, T7 with `compression`: whichever side of `session()` it is mounted, the session
 * write is stored before the headers (Set-Cookie on the compressed response), the body is
 * really gzipped and arrives whole, and streaming (SSE) still streams.
 */

const GZIP = { 'accept-encoding': 'gzip' };
const CHUNKS = [textOfSize(3000), textOfSize(5000), 'tail\n', textOfSize(1500)];

/** The compressed response carries both session cookies and the expected body (T7, R1). */
function expectCompressed(reply: RawReply, body: string): void {
  expect(reply.status, reply.body.toString()).to.equal(200);
  expect(reply.headers['content-encoding']).to.equal('gzip');
  expect(reply.decodeError, 'Content-Encoding: gzip, but the body is not valid gzip').to.equal(undefined);
  expect(reply.raw.length).to.be.lessThan(Buffer.byteLength(body));
  expect(reply.body.toString()).to.equal(body);
  expect(reply.cookie('sw.sid'), 'session cookie on the response').to.not.equal(undefined);
  expect(reply.cookie('sw.sid.active'), 'indicator cookie on the response').to.not.equal(undefined);
}

function flushOf(res: Response): void {
  (res as Response & { flush?: () => void }).flush?.();
}

for (const [version, x] of EXPRESS_VERSIONS) {
  for (const backend of STORE_BACKENDS) {
    describe(`R3 compression (${version}, ${backend.name})`, () => {
      const apps = appsFor(x, backend);
      const file = useFileFixture();

      for (const placement of ['before', 'after'] as const) {
        /** compression() before or after session(), then `routes`. */
        const withCompression = (routes: (app: Express) => void): AppSetup =>
          placement === 'before'
            ? { before: (app) => app.use(compression()), routes }
            : { routes: (app) => { app.use(compression()); routes(app); } };

        it(`R1, R3, T7: compression ${placement} session(): write session then res.write chunks + res.end`, async () => {
          const target = await apps.start(withCompression((app) => {
            app.post('/chunks', (req, res) => {
              mark(req, 'written', 'chunks');
              res.type('text/plain');
              for (const chunk of CHUNKS) res.write(chunk);
              res.end();
            });
          }));
          const reply = await within(target.raw('/chunks', { method: 'POST', headers: GZIP }), 'POST /chunks');
          expectCompressed(reply, CHUNKS.join(''));
          expect(await readKey(target, 'written')).to.equal('chunks');
          await expectAlive(target);
        });

        it(`R1, R3, T7: compression ${placement} session(): write session then res.sendFile of a 24 KiB file`, async () => {
          const target = await apps.start(withCompression((app) => {
            app.get('/file', (req, res, next) => {
              mark(req, 'written', 'sendFile');
              res.sendFile(file.path, (error?: Error) => {
                if (error !== undefined) next(error);
              });
            });
          }));
          const reply = await within(target.raw('/file', { headers: GZIP }), 'GET /file');
          expectCompressed(reply, file.content);
          expect(await readKey(target, 'written')).to.equal('sendFile');
          await expectAlive(target);
        });

        it(`R1, R3, T7: compression ${placement} session(): express.static serves a file after a middleware wrote the session`, async () => {
          const target = await apps.start(withCompression((app) => {
            app.use('/static', (req, _res, next) => {
              mark(req, 'written', 'static');
              next();
            });
            app.use('/static', x.static(file.dir));
          }));
          const reply = await within(target.raw(`/static/${file.name}`, { headers: GZIP }), 'GET /static/…');
          expectCompressed(reply, file.content);
          expect(await readKey(target, 'written')).to.equal('static');
          await expectAlive(target);
        });

        it(`R1, R2, R3, T7: compression ${placement} session(): write session then stream.pipe(res)`, async () => {
          const target = await apps.start(withCompression((app) => {
            app.get('/piped', (req, res) => {
              mark(req, 'written', 'piped');
              res.type('text/plain');
              Readable.from(CHUNKS).pipe(res);
            });
          }));
          const reply = await within(target.raw('/piped', { headers: GZIP }), 'GET /piped');
          expectCompressed(reply, CHUNKS.join(''));
          expect(await readKey(target, 'written')).to.equal('piped');
          await expectAlive(target);
        });

        it(`R1, R3, T7: compression ${placement} session(): Server-Sent Events stream while the session is committed`, async () => {
          const finish = deferred();
          const target = await apps.start(withCompression((app) => {
            app.get('/events', (req, res) => {
              mark(req, 'written', 'sse');
              res.setHeader('content-type', 'text/event-stream');
              res.setHeader('cache-control', 'no-cache');
              res.flushHeaders();
              res.write('event: greeting\ndata: one\n\n');
              flushOf(res);
              void finish.promise.then(() => {
                res.write('data: two\n\n');
                res.end();
              });
            });
          }));
          const received = await within(sse(target, () => finish.resolve()), 'SSE: the first event before the stream ends');
          expect(received.status).to.equal(200);
          expect(received.contentType).to.match(/^text\/event-stream/);
          expect(received.encoding).to.equal('gzip');
          expect(received.hadSessionCookie, 'Set-Cookie on the event stream').to.equal(true);
          expect(received.text).to.equal('event: greeting\ndata: one\n\ndata: two\n\n');
          expect(await readKey(target, 'written')).to.equal('sse');
          await expectAlive(target);
        });
      }
    });
  }
}

/**
 * Reads an event stream with gzip undone as it arrives; calls `onFirstEvent` once the first
 * event is in (the server sends the rest only then), and resolves with everything at the end.
 */
function sse(target: StartedApp, onFirstEvent: () => void): Promise<{ status: number; contentType: string | undefined; encoding: string | undefined; hadSessionCookie: boolean; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL('/events', target.url), { headers: { ...GZIP, accept: 'text/event-stream' } }, (response) => {
      const setCookies = (response.headers['set-cookie'] ?? []).map(parseSetCookie);
      absorbCookies(target.client, setCookies);
      const body = response.headers['content-encoding'] === 'gzip' ? response.pipe(createGunzip()) : response;
      let text = '';
      let first = false;
      body.setEncoding('utf8');
      body.on('data', (chunk: string) => {
        text += chunk;
        if (!first && text.includes('\n\n')) {
          first = true;
          onFirstEvent();
        }
      });
      body.on('error', reject);
      body.on('end', () => {
        if (!first) {
          reject(new Error('the stream ended before its first event was received'));
          return;
        }
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          encoding: response.headers['content-encoding'],
          hadSessionCookie: setCookies.some((c) => c.name === 'sw.sid'),
          text,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
