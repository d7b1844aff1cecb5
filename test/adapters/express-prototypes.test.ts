import { createServer, ServerResponse } from 'node:http';
import { expect } from 'chai';
import compression from 'compression';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { session } from '@sessionware/express';
import { Client, listen } from '@sessionware/test-support';

/**
 * The Express adapter holds a changed session's response through own properties of that one
 * response, for the time of the commit (SPEC T7, R2): Express's `express.response`, each
 * `app.response` and `http.ServerResponse.prototype` are never replaced; a request that does
 * not change its session gets only `req.session`; the hold follows the response across
 * mounted sub-apps, a parent's error handler and an app called as a function (vhost).
 */

const SECRET = 'express-prototypes-secret-7b1e4d9a2c6f8e0b3d5a7c9e1f2b4d6a8c0e';
const HELD = ['writeHead', 'write', 'end', 'flushHeaders', 'setHeader', 'appendHeader', 'removeHeader', '_implicitHeader', 'flush'];
const GETTERS = ['headersSent', 'writableEnded', 'writableNeedDrain'];

/** The held names as they are on one object (own descriptors), for an exact comparison. */
function descriptors(target: object): Record<string, PropertyDescriptor | undefined> {
  return Object.fromEntries([...HELD, ...GETTERS].map((key) => [key, Object.getOwnPropertyDescriptor(target, key)]));
}

describe('express adapter: no prototype patched, own properties only while a changed session commits', () => {
  // Captured before any test: every app and route must leave them as they are (R2).
  const nodeBefore = descriptors(ServerResponse.prototype);
  const expressBefore = descriptors(express.response);
  const outgoingBefore = descriptors(Object.getPrototypeOf(ServerResponse.prototype) as object);
  const apps: Express[] = [];

  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    expect(descriptors(ServerResponse.prototype), 'http.ServerResponse.prototype').to.deep.equal(nodeBefore);
    expect(descriptors(Object.getPrototypeOf(ServerResponse.prototype) as object), 'OutgoingMessage.prototype').to.deep.equal(outgoingBefore);
    expect(descriptors(express.response), 'express.response').to.deep.equal(expressBefore);
    for (const app of apps.splice(0)) expect(descriptors(app.response), 'app.response').to.deep.equal(descriptors(Object.create(express.response) as object));
  });

  async function start(app: Express): Promise<Client> {
    apps.push(app);
    const { url, close } = await listen(createServer(app));
    closers.push(close);
    return new Client(url);
  }

  const counter: RequestHandler = (req, res) => {
    const counter = (typeof req.session['counter'] === 'number' ? req.session['counter'] : 0) + 1;
    req.session['counter'] = counter;
    res.json({ counter });
  };

  interface Observed {
    resOwn: string[];
    atFinish: string[];
    before: Record<string, PropertyDescriptor | undefined>;
    after?: Record<string, PropertyDescriptor | undefined>;
  }

  /** Records, per path, the held names own on `res` at 'finish' and their descriptors before and after. */
  function observe(app: Express): Map<string, Observed> {
    const seen = new Map<string, Observed>();
    app.use((req, res, next) => {
      const entry: Observed = { resOwn: [], atFinish: [], before: descriptors(res) };
      seen.set(req.path, entry);
      res.once('finish', () => {
        entry.atFinish = [...HELD, ...GETTERS].filter((key) => Object.hasOwn(res, key));
        Object.assign(entry, { after: descriptors(res) });
      });
      next();
    });
    return seen;
  }

  it('T7, R2: a request that does not change its session adds no own property to res, and only session to req', async () => {
    const app = express();
    const seen = observe(app);
    const sessions = session({ secrets: SECRET });
    // The keys session() itself adds to req: measured around it alone (Express's router adds its own later).
    let added: string[] = [];
    app.use((req, res, next) => {
      const before = Reflect.ownKeys(req);
      sessions(req, res, (error?: unknown) => {
        added = Object.keys(req).filter((key) => !before.includes(key));
        next(error);
      });
    });
    app.post('/counter', counter);
    app.get('/read', (req, res) => {
      res.json({ counter: req.session['counter'] ?? null });
      const entry = seen.get('/read');
      if (entry !== undefined) entry.resOwn = [...HELD, ...GETTERS].filter((key) => Object.hasOwn(res, key));
    });
    const client = await start(app);
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
    const reply = await client.get('/read');
    expect(reply.json).to.deep.equal({ counter: 1 });
    const entry = seen.get('/read');
    expect({ added, resOwn: entry?.resOwn, atFinish: entry?.atFinish }).to.deep.equal({ added: ['session'], resOwn: [], atFinish: [] });
    expect(entry?.after).to.deep.equal(entry?.before);
  });

  it('T7: a changed session holds its response through its four writing methods, which pass calls straight on after the release', async () => {
    const app = express();
    const seen = observe(app);
    app.use(session({ secrets: SECRET }));
    let during: string[] = [];
    app.post('/counter', (req, res) => {
      req.session['counter'] = 1;
      res.json({ counter: 1 });
      during = [...HELD, ...GETTERS].filter((key) => Object.hasOwn(res, key));
    });
    const client = await start(app);
    const reply = await client.post('/counter');
    expect(reply.json).to.deep.equal({ counter: 1 });
    expect(reply.cookie('sw.sid')).to.not.equal(undefined);
    expect(during, 'held while the commit runs').to.include.members(['writeHead', 'write', 'end', 'flushHeaders']);
    const entry = seen.get('/counter');
    // The methods stay (removing them would make V8 turn the response into a dictionary); no getter is left.
    expect(entry?.atFinish).to.deep.equal(['writeHead', 'write', 'end', 'flushHeaders']);
  });

  it('T7: with compression mounted before session(), its own wrappers get the replay and stay behind the hold\'s methods', async () => {
    const app = express();
    app.use(compression({ threshold: 0 }));
    let before: Record<string, PropertyDescriptor | undefined> | undefined;
    let after: Record<string, PropertyDescriptor | undefined> | undefined;
    app.use((_req, res, next) => {
      before = descriptors(res);
      res.once('finish', () => {
        after = descriptors(res);
      });
      next();
    });
    app.use(session({ secrets: SECRET }));
    app.post('/counter', counter);
    const client = await start(app);
    const reply = await client.post('/counter', { headers: { 'accept-encoding': 'gzip' } });
    expect(reply.json).to.deep.equal({ counter: 1 });
    expect(reply.cookie('sw.sid')).to.not.equal(undefined);
    expect(before?.['write']?.value, 'compression wraps write').to.be.a('function');
    expect(reply.headers.get('content-encoding'), 'compression compressed the replayed answer').to.equal('gzip');
    expect(Object.keys(after ?? {}).sort()).to.deep.equal(Object.keys(before ?? {}).sort());
    expect(after?.['write']?.value, 'the hold stands in front of compression').to.not.equal(before?.['write']?.value);
  });

  it('T7: session() in the app, the route in a mounted sub-app', async () => {
    const app = express();
    app.use(session({ secrets: SECRET }));
    const api = express();
    apps.push(api);
    api.post('/counter', counter);
    app.use('/api', api);
    const client = await start(app);
    expect((await client.post('/api/counter')).json).to.deep.equal({ counter: 1 });
    expect((await client.post('/api/counter')).json).to.deep.equal({ counter: 2 });
  });

  it('T7: session() in a mounted sub-app, the answer from the parent (error handler) after leaving it', async () => {
    const app = express();
    const api = express();
    apps.push(api);
    api.use(session({ secrets: SECRET }));
    api.post('/fail', (req, _res, next) => {
      req.session['failed'] = true;
      next(new Error('handler failed'));
    });
    api.get('/read', (req, res) => {
      res.json({ failed: req.session['failed'] ?? null });
    });
    app.use('/api', api);
    const onError: ErrorRequestHandler = (_error, _req, res, _next) => {
      res.status(500).json({ error: 'internal_error' });
    };
    app.use(onError);
    const client = await start(app);
    const failed = await client.post('/api/fail');
    expect(failed.status).to.equal(500);
    expect(failed.cookie('sw.sid')).to.not.equal(undefined);
    expect((await client.get('/api/read')).json).to.deep.equal({ failed: true });
  });

  it('T7: session() in the app, the route in another app called as a function (as vhost does)', async () => {
    const app = express();
    app.use(session({ secrets: SECRET }));
    const other = express();
    apps.push(other);
    other.post('/counter', counter);
    app.use((req, res, next) => {
      other(req, res, next);
    });
    const client = await start(app);
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 2 });
  });

  it('R2, T7: an app without sessions and a route before session() are not held and add no property', async () => {
    const plain = express();
    let plainOwn: string[] = [];
    plain.get('/hello', (_req, res) => {
      res.json({ hello: 'plain' });
      plainOwn = [...HELD, ...GETTERS].filter((key) => Object.hasOwn(res, key));
    });
    const app = express();
    let earlySentAtOnce = false;
    app.get('/early', (_req, res) => {
      res.json({ hello: 'early' });
      earlySentAtOnce = res.headersSent;
    });
    app.use(session({ secrets: SECRET }));
    app.post('/counter', counter);
    const client = await start(app);
    const plainClient = await start(plain);
    // The session app first: a hold there must leave nothing behind for the plain app.
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
    const plainReply = await plainClient.get('/hello');
    expect(plainReply.json).to.deep.equal({ hello: 'plain' });
    expect(plainReply.setCookies).to.deep.equal([]);
    expect(plainOwn).to.deep.equal([]);
    const early = await client.get('/early');
    expect(early.json).to.deep.equal({ hello: 'early' });
    expect(early.setCookies).to.deep.equal([]);
    expect(earlySentAtOnce).to.equal(true);
  });
});
