import { createServer } from 'node:http';
import { expect } from 'chai';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { session } from '@sessionware/express';
import { Client, listen } from '../support/http.js';

/**
 * The Express adapter holds responses through methods installed on Express's response
 * prototype, not on each response (own properties are costly on re-prototyped objects).
 * Express moves a response between apps' prototypes; these tests check the hold follows it,
 * and that apps and routes without sessions are unaffected.
 */

const SECRET = 'express-prototypes-secret-7b1e4d9a2c6f8e0b3d5a7c9e1f2b4d6a8c0e';
const HELD = ['writeHead', 'write', 'end', 'flushHeaders'];

describe('express adapter: the hold on re-prototyped responses', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function start(app: Express): Promise<Client> {
    const { url, close } = await listen(createServer(app));
    closers.push(close);
    return new Client(url);
  }

  const counter: RequestHandler = (req, res) => {
    const counter = (typeof req.session['counter'] === 'number' ? req.session['counter'] : 0) + 1;
    req.session['counter'] = counter;
    res.json({ counter });
  };

  it('T7: adds no own property to res, and req.session as the only string-keyed one to req', async () => {
    const app = express();
    const sessions = session({ secrets: SECRET });
    let added: { req: string[]; res: string[] } | undefined;
    app.use((req, res, next) => {
      const before = { req: Reflect.ownKeys(req), res: Reflect.ownKeys(res) };
      void sessions(req, res, (error?: unknown) => {
        added = {
          req: Object.keys(req).filter((key) => !before.req.includes(key)),
          res: Reflect.ownKeys(res).filter((key) => !before.res.includes(key)).map(String),
        };
        next(error);
      });
    });
    app.post('/counter', counter);
    const client = await start(app);
    const reply = await client.post('/counter');
    expect(reply.json).to.deep.equal({ counter: 1 });
    expect(reply.cookie('sw.sid')).to.not.equal(undefined);
    expect(added).to.deep.equal({ req: ['session'], res: [] });
  });

  it('T7: session() in the app, the route in a mounted sub-app', async () => {
    const app = express();
    app.use(session({ secrets: SECRET }));
    const api = express();
    api.post('/counter', counter);
    app.use('/api', api);
    const client = await start(app);
    expect((await client.post('/api/counter')).json).to.deep.equal({ counter: 1 });
    expect((await client.post('/api/counter')).json).to.deep.equal({ counter: 2 });
  });

  it('T7: session() in a mounted sub-app, the answer from the parent (error handler) after leaving it', async () => {
    const app = express();
    const api = express();
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
    other.post('/counter', counter);
    app.use((req, res, next) => {
      other(req, res, next);
    });
    const client = await start(app);
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 1 });
    expect((await client.post('/counter')).json).to.deep.equal({ counter: 2 });
  });

  it('T7: an app without sessions and a route before session() are not held and add no property', async () => {
    const plain = express();
    let plainOwn: string[] = [];
    plain.get('/hello', (_req, res) => {
      res.json({ hello: 'plain' });
      plainOwn = HELD.filter((method) => Object.hasOwn(res, method));
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
    // The session app first, so Express's response prototype has the holding methods.
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
