import { expect } from 'chai';
import type { Express, Response } from 'express';
import { ObservedStore, type Reply } from '@sessionware/test-support';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey, STORE_BACKENDS, type StartedApp } from './matrix-app.js';

/**
 * SPEC R1 (with T7): holding the response until the commit never changes what the app's
 * response calls do. Each handler mistake runs on an app with sessionware, whose commit is
 * held at a gate while the handler runs, and on the same app without sessionware: what the
 * handler sees synchronously and what the client gets must be the same.
 */

/** What a handler saw right after its calls, synchronously. */
interface Seen {
  /** The `code` of what the mistaken call threw, or null when it did not throw. */
  caught: string | null;
  headersSent: boolean;
  writableEnded: boolean;
  statusCode: number;
}

function seen(res: Response, error: unknown): Seen {
  const code = (error as { code?: unknown } | undefined)?.code;
  return {
    caught: error === undefined ? null : typeof code === 'string' ? code : String(error),
    headersSent: res.headersSent,
    writableEnded: res.writableEnded,
    statusCode: res.statusCode,
  };
}

/** Runs `call` and answers what it threw, if anything. */
function attempt(call: () => unknown): unknown {
  try {
    call();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A route with a handler mistake; it records what it saw in `log`. */
type Route = (app: Express, log: Seen[]) => void;

interface Outcome {
  reply: Reply;
  seen: Seen[];
}

for (const [version, x] of EXPRESS_VERSIONS) {
  for (const backend of STORE_BACKENDS) {
    describe(`R1 handler mistakes on a held response (${version}, ${backend.name})`, () => {
      const apps = appsFor(x, backend);

      /** The route on an app without sessionware. */
      async function plain(route: Route, path: string): Promise<Outcome> {
        const log: Seen[] = [];
        const target = await apps.start({ session: false, routes: (app) => route(app, log) });
        const reply = await within(target.client.post(path), `POST ${path} without sessionware`);
        await expectAlive(target);
        return { reply, seen: log };
      }

      /** The route with sessionware, its commit (the session's creation) held while the handler runs. */
      async function held(route: Route, path: string): Promise<Outcome & { target: StartedApp; pendingWhileHandled: boolean }> {
        const log: Seen[] = [];
        let gated: ObservedStore | undefined;
        const target = await apps.start({
          wrapStore: (store) => (gated = new ObservedStore(store)),
          routes: (app) => route(app, log),
        });
        if (gated === undefined) throw new Error('no store');
        const gate = gated.pause('create');
        const replying = within(target.client.post(path), `POST ${path} with sessionware`);
        let pendingWhileHandled = false;
        try {
          await within(gate.reached, 'the commit reaching the store');
          // The handler's record exists while the commit cannot have finished.
          pendingWhileHandled = log.length > 0 && !gate.released;
        } finally {
          gate.release();
        }
        const reply = await replying;
        return { reply, seen: log, target, pendingWhileHandled };
      }

      it('R1, T7: res.json(a) then res.status(500).json(b) throws ERR_HTTP_HEADERS_SENT to the handler; the client gets a with 200', async () => {
        const route: Route = (app, log) => {
          app.post('/double', (req, res) => {
            mark(req, 'written', 'double');
            res.json({ answer: 'a' });
            const error = attempt(() => res.status(500).json({ answer: 'b' }));
            log.push(seen(res, error));
          });
        };
        const without = await plain(route, '/double');
        expect(without.seen[0]?.caught).to.equal('ERR_HTTP_HEADERS_SENT');
        const withSessions = await held(route, '/double');
        expect(withSessions.pendingWhileHandled, 'the handler ran while the commit was pending').to.equal(true);
        expect(withSessions.seen).to.deep.equal(without.seen);
        expect(withSessions.reply.status).to.equal(200);
        expect(withSessions.reply.json).to.deep.equal({ answer: 'a' });
        expect(withSessions.reply.cookie('sw.sid')).to.not.equal(undefined);
        expect(await readKey(withSessions.target, 'written')).to.equal('double');
        await expectAlive(withSessions.target);
      });

      it('R1, T7: res.setHeader after res.end() throws ERR_HTTP_HEADERS_SENT synchronously', async () => {
        const route: Route = (app, log) => {
          app.post('/late-header', (req, res) => {
            mark(req, 'written', 'late-header');
            res.type('text/plain').end('done');
            const error = attempt(() => res.setHeader('x-late', '1'));
            log.push(seen(res, error));
          });
        };
        const without = await plain(route, '/late-header');
        expect(without.seen[0]?.caught).to.equal('ERR_HTTP_HEADERS_SENT');
        const withSessions = await held(route, '/late-header');
        expect(withSessions.pendingWhileHandled, 'the handler ran while the commit was pending').to.equal(true);
        expect(withSessions.seen).to.deep.equal(without.seen);
        expect(withSessions.reply.status).to.equal(200);
        expect(withSessions.reply.body).to.equal('done');
        expect(withSessions.reply.headers.get('x-late')).to.equal(null);
        expect(await readKey(withSessions.target, 'written')).to.equal('late-header');
        await expectAlive(withSessions.target);
      });

      it('R1, T7: res.writeHead twice throws on the second call, synchronously; the first status goes out', async () => {
        const route: Route = (app, log) => {
          app.post('/write-head', (req, res) => {
            mark(req, 'written', 'write-head');
            res.writeHead(202, { 'content-type': 'text/plain' });
            const error = attempt(() => res.writeHead(201));
            log.push(seen(res, error));
            res.end('once');
          });
        };
        const without = await plain(route, '/write-head');
        expect(without.seen[0]?.caught).to.equal('ERR_HTTP_HEADERS_SENT');
        const withSessions = await held(route, '/write-head');
        expect(withSessions.pendingWhileHandled, 'the handler ran while the commit was pending').to.equal(true);
        expect(withSessions.seen).to.deep.equal(without.seen);
        expect(withSessions.reply.status).to.equal(202);
        expect(withSessions.reply.body).to.equal('once');
        expect(withSessions.reply.cookie('sw.sid')).to.not.equal(undefined);
        expect(await readKey(withSessions.target, 'written')).to.equal('write-head');
        await expectAlive(withSessions.target);
      });

      it('R1, T7: after res.end(), headersSent and writableEnded are true at once, while the commit is still running', async () => {
        const route: Route = (app, log) => {
          app.post('/ended', (req, res) => {
            mark(req, 'written', 'ended');
            const before = seen(res, undefined);
            res.type('text/plain').end('ended');
            log.push(before, seen(res, undefined));
          });
        };
        const without = await plain(route, '/ended');
        expect(without.seen[1]).to.include({ headersSent: true, writableEnded: true });
        const withSessions = await held(route, '/ended');
        expect(withSessions.pendingWhileHandled, 'the handler ran while the commit was pending').to.equal(true);
        expect(withSessions.seen[0]).to.include({ headersSent: false, writableEnded: false });
        expect(withSessions.seen[1]).to.include({ headersSent: true, writableEnded: true });
        expect(withSessions.seen).to.deep.equal(without.seen);
        expect(withSessions.reply.body).to.equal('ended');
        expect(await readKey(withSessions.target, 'written')).to.equal('ended');
        await expectAlive(withSessions.target);
      });

      it('R1, T7: res.statusCode = 500 after res.end() does not change the status the client gets', async () => {
        const route: Route = (app, log) => {
          app.post('/late-status', (req, res) => {
            mark(req, 'written', 'late-status');
            res.status(201).json({ created: true });
            res.statusCode = 500;
            log.push(seen(res, undefined));
          });
        };
        const without = await plain(route, '/late-status');
        expect(without.reply.status).to.equal(201);
        const withSessions = await held(route, '/late-status');
        expect(withSessions.pendingWhileHandled, 'the handler ran while the commit was pending').to.equal(true);
        expect(withSessions.reply.status).to.equal(201);
        expect(withSessions.reply.json).to.deep.equal({ created: true });
        expect(withSessions.seen).to.deep.equal(without.seen);
        expect(await readKey(withSessions.target, 'written')).to.equal('late-status');
        await expectAlive(withSessions.target);
      });
    });
  }
}
