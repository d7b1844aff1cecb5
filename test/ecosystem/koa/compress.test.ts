import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { constants as zlib } from 'node:zlib';
import Router from '@koa/router';
import { expect } from 'chai';
import compress from 'koa-compress';
import { session } from '@sessionware/koa';
import {
  absorb, bounded, dataRoutes, dataSeenWith, describeOnBackends, expectAlive, Gates, koaApp, openRequest,
  SESSION_COOKIE, type Harness, type Running,
} from './support.js';

/**
 * SPEC R3 (with T7, R2): koa-compress mounted before and after session(), on routes that
 * write the session and answer a large JSON body, a large string, a file stream, a stream
 * written over time and Server-Sent Events. Each is requested twice with
 * `Accept-Encoding: gzip` (the first request creates the session, the second updates it):
 * the bytes are gunzipped and compared, the write is visible to another request with the
 * cookie (for streams: already while the stream is still open, i.e. it was stored before the
 * headers left), and the server is still up.
 */

type Order = 'no compression' | 'compress before session()' | 'compress after session()';
const ORDERS: readonly Order[] = ['compress before session()', 'compress after session()', 'no compression'];

const BIG_JSON = Array.from({ length: 3000 }, (_, i) => ({ i, word: 'sessionware', even: i % 2 === 0 }));
const BIG_TEXT = Array.from({ length: 4000 }, (_, i) => `line ${i} of a large string body\n`).join('');
const FILE_TEXT = Array.from({ length: 6000 }, (_, i) => `file line ${i}: koa-compress and a read stream\n`).join('');

interface Kind {
  name: string;
  path: string;
  /** Whether the body arrives in parts on the test's signal (gate `round`). */
  streamed: boolean;
  expected: string;
}

const KINDS: readonly Kind[] = [
  { name: 'large JSON body', path: '/json', streamed: false, expected: JSON.stringify(BIG_JSON) },
  { name: 'large string body', path: '/text', streamed: false, expected: BIG_TEXT },
  { name: 'fs.createReadStream body', path: '/file', streamed: false, expected: FILE_TEXT },
  { name: 'PassThrough written over time', path: '/stream', streamed: true, expected: 'chunk-1\nchunk-2\nchunk-3\n' },
  { name: 'Server-Sent Events', path: '/events', streamed: true, expected: 'event: tick\ndata: one\n\nevent: tick\ndata: two\n\n' },
];

/** The part of each streamed body sent before the gate opens. */
const FIRST_PART: Record<string, string> = { '/stream': 'chunk-1\n', '/events': 'data: one\n\n' };

describeOnBackends('koa-compress (SPEC R3, T7, R2)', (harness: Harness) => {
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sw-koa-compress-'));
    file = join(dir, 'big.txt');
    await writeFile(file, FILE_TEXT);
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function start(order: Order, gates: Gates): Promise<Running> {
    const test = koaApp();
    // Z_SYNC_FLUSH: each write of a stream goes out at once, as an SSE app configures it.
    const compression = compress({ threshold: 1024, gzip: { flush: zlib.Z_SYNC_FLUSH } });
    if (order === 'compress before session()') test.app.use(compression);
    test.app.use(session(await harness.options()));
    if (order === 'compress after session()') test.app.use(compression);
    const router = new Router();
    router.use((ctx, next) => {
      ctx.session['count'] = ((ctx.session['count'] as number | undefined) ?? 0) + 1;
      ctx.session['last'] = ctx.path;
      return next();
    });
    router.get('/json', (ctx) => {
      ctx.body = BIG_JSON;
    });
    router.get('/text', (ctx) => {
      ctx.type = 'text/plain';
      ctx.body = BIG_TEXT;
    });
    router.get('/file', (ctx) => {
      ctx.type = 'text/plain';
      ctx.body = createReadStream(file);
    });
    router.get('/stream', (ctx) => {
      const body = new PassThrough();
      ctx.type = 'text/plain';
      ctx.body = body;
      body.write('chunk-1\n');
      void gates.get(String(ctx.query['round'])).opened.then(() => {
        body.write('chunk-2\n');
        body.end('chunk-3\n');
      });
    });
    router.get('/events', (ctx) => {
      const body = new PassThrough();
      ctx.type = 'text/event-stream';
      ctx.set('cache-control', 'no-cache');
      ctx.body = body;
      body.write('event: tick\ndata: one\n\n');
      void gates.get(String(ctx.query['round'])).opened.then(() => {
        body.end('event: tick\ndata: two\n\n');
      });
    });
    test.app.use(dataRoutes());
    test.app.use(router.routes());
    return harness.start(test);
  }

  for (const order of ORDERS) {
    for (const kind of KINDS) {
      it(`${order}: ${kind.name} written with the session is sent whole${order === 'no compression' ? '' : ', gzip-compressed,'} and the write persists (R3, T7${kind.streamed ? ', R2' : ''})`, async () => {
        const gates = new Gates();
        const running = await start(order, gates);
        const client = running.client();
        for (const round of [1, 2]) {
          const headers: Record<string, string> = { 'accept-encoding': 'gzip' };
          if (client.cookieHeader() !== '') headers['cookie'] = client.cookieHeader();
          const reply = await bounded(openRequest(running.url, `${kind.path}?round=${round}`, { headers }), `GET ${kind.path} (round ${round})`);
          expect(reply.status).to.equal(200);
          expect(reply.headers['content-encoding'], 'Content-Encoding').to.equal(order === 'no compression' ? undefined : 'gzip');
          const cookie = round === 1 ? reply.cookie(SESSION_COOKIE) : undefined;
          if (round === 1) expect(cookie, 'the new session cookie on the response').to.not.equal(undefined);
          absorb(client, reply.setCookies);
          const sessionCookie = client.jar.get(SESSION_COOKIE) ?? '';
          const written = { count: round, last: kind.path };
          if (kind.streamed) {
            await bounded(reply.until(FIRST_PART[kind.path] ?? ''), 'the first part of the stream, before the stream ends (R2)');
            // The stream is still open: the write must already be stored (T7).
            expect(await dataSeenWith(running, sessionCookie), 'the session while the stream is open').to.deep.equal(written);
            gates.get(String(round)).open();
          }
          const body = await bounded(reply.done, `the body of ${kind.path}`);
          expect(body, 'the decoded body').to.equal(kind.expected);
          expect(await dataSeenWith(running, sessionCookie), 'the session afterwards').to.deep.equal(written);
        }
        await expectAlive(running);
      });
    }
  }
});
