import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { holdResponseUntilCommitted, isSecureRequest } from '../src/node-http.js';

/** Holds `res` until `commit` settles: the committer with only a `commit` (the async path). */
function hold(res: ServerResponse, commit: () => Promise<void>, onError: (error: unknown) => void): void {
  holdResponseUntilCommitted(res, { commit }, onError);
}

function fakeRequest(encrypted: boolean | undefined, forwardedProto?: string | string[]): IncomingMessage {
  const headers: Record<string, string | string[]> = {};
  if (forwardedProto !== undefined) headers['x-forwarded-proto'] = forwardedProto;
  return { socket: encrypted === undefined ? {} : { encrypted }, headers } as unknown as IncomingMessage;
}

describe('node-http: isSecureRequest', () => {
  it('C4: a TLS socket is secure, with or without trustProxy', () => {
    expect(isSecureRequest(fakeRequest(true), false)).to.equal(true);
    expect(isSecureRequest(fakeRequest(true, 'http'), true)).to.equal(true);
  });

  it('C4: a plain socket is not secure', () => {
    expect(isSecureRequest(fakeRequest(undefined), false)).to.equal(false);
    expect(isSecureRequest(fakeRequest(false), true)).to.equal(false);
  });

  it('C4: X-Forwarded-Proto is ignored unless trustProxy is on (off by default)', () => {
    expect(isSecureRequest(fakeRequest(undefined, 'https'), false)).to.equal(false);
  });

  const trusted: Array<[string | string[], boolean]> = [
    ['https', true],
    ['HTTPS', true],
    [' https ', true],
    ['https, http', true],
    ['http', false],
    ['http, https', false],
    ['', false],
    ['httpsx', false],
    [['https', 'http'], true],
    [['http', 'https'], false],
  ];
  for (const [header, secure] of trusted) {
    it(`C4: with trustProxy, X-Forwarded-Proto ${JSON.stringify(header)} is ${secure ? '' : 'not '}secure (the first hop counts)`, () => {
      expect(isSecureRequest(fakeRequest(false, header), true)).to.equal(secure);
    });
  }
});

/** A real HTTP server on 127.0.0.1 with a free port; `close` ends it and its connections. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}

/** A promise with its resolve/reject exposed, to drive a commit step by step. */
function deferred(): { promise: Promise<void>; resolve(): void; reject(error: unknown): void } {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('node-http: holdResponseUntilCommitted (real HTTP server)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function start(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server = await serve(handler);
    close = server.close;
    return server.url;
  }

  it('T7: end() waits for the commit; Set-Cookie written during the commit reaches the client with the body', async () => {
    const observed: string[] = [];
    const url = await start((_req, res) => {
      const commit = deferred();
      hold(res, async () => {
        observed.push('commit started');
        await commit.promise;
        res.setHeader('set-cookie', ['sw.sid=token; Path=/; HttpOnly', 'sw.sid.active=1; Path=/']);
        observed.push('commit done');
      }, (error) => {
        throw error;
      });
      res.statusCode = 201;
      res.setHeader('content-type', 'text/plain');
      res.end('created');
      observed.push(`after end: headersSent=${res.headersSent}`);
      setTimeout(() => {
        observed.push(`before commit resolves: headersSent=${res.headersSent}`);
        commit.resolve();
      }, 10);
    });
    const response = await fetch(url);
    expect(response.status).to.equal(201);
    expect(response.headers.getSetCookie()).to.deep.equal(['sw.sid=token; Path=/; HttpOnly', 'sw.sid.active=1; Path=/']);
    expect(await response.text()).to.equal('created');
    expect(observed).to.deep.equal([
      'commit started',
      'after end: headersSent=false',
      'before commit resolves: headersSent=false',
      'commit done',
    ]);
  });

  it('T7: writeHead, several writes and end are held, then replayed in order after one commit', async () => {
    let commits = 0;
    const writeResults: boolean[] = [];
    const url = await start((_req, res) => {
      hold(res, async () => {
        commits += 1;
        await new Promise((resolve) => setImmediate(resolve));
        res.setHeader('x-committed', String(commits));
      }, (error) => {
        throw error;
      });
      res.writeHead(202, { 'x-handler': 'yes', 'content-type': 'text/plain' });
      writeResults.push(res.write('a'));
      writeResults.push(res.write('b'));
      res.end('c');
    });
    const response = await fetch(url);
    expect(response.status).to.equal(202);
    expect(response.headers.get('x-handler')).to.equal('yes');
    expect(response.headers.get('x-committed')).to.equal('1');
    expect(await response.text()).to.equal('abc');
    expect(commits).to.equal(1);
    expect(writeResults).to.deep.equal([true, true]);
  });

  it('T7: flushHeaders starts the commit too and sends the headers only once it is done', async () => {
    let commits = 0;
    const url = await start((_req, res) => {
      hold(res, async () => {
        commits += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        res.setHeader('x-committed', 'yes');
      }, (error) => {
        throw error;
      });
      res.setHeader('content-type', 'text/plain');
      res.flushHeaders();
      setTimeout(() => res.end('later'), 20);
    });
    const response = await fetch(url);
    expect(response.headers.get('x-committed')).to.equal('yes');
    expect(await response.text()).to.equal('later');
    expect(commits).to.equal(1);
  });

  it('T7: once committed, later calls go straight to the response without a second commit', async () => {
    let commits = 0;
    const url = await start((_req, res) => {
      const committed = deferred();
      hold(res, async () => {
        commits += 1;
        committed.resolve();
      }, (error) => {
        throw error;
      });
      res.write('first ');
      void committed.promise.then(() => setImmediate(() => {
        const sent = res.headersSent;
        res.write(`headersSent=${sent} `);
        res.end('last');
      }));
    });
    const response = await fetch(url);
    expect(await response.text()).to.equal('first headersSent=true last');
    expect(commits).to.equal(1);
  });

  it('F1, T7: when the commit fails the held response is dropped and onError answers (e.g. 503)', async () => {
    const failure = new Error('store down');
    let reported: unknown;
    const url = await start((_req, res) => {
      hold(res, async () => {
        throw failure;
      }, (error) => {
        reported = error;
        res.statusCode = 503;
        res.setHeader('content-type', 'text/plain');
        res.end('service unavailable');
      });
      res.writeHead(200, { 'x-handler': 'yes' });
      res.end('handler body');
    });
    const response = await fetch(url);
    expect(response.status).to.equal(503);
    expect(response.headers.get('x-handler')).to.equal(null);
    expect(await response.text()).to.equal('service unavailable');
    expect(reported).to.equal(failure);
  });
});

type HeldMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders';
const HELD_METHODS: readonly HeldMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/**
 * Prototypes shaped like Express's: a framework `response` object inheriting from
 * ServerResponse.prototype, and one `app.response` per app inheriting from it (a mounted
 * sub-app's from its parent's), set on each response with Object.setPrototypeOf. A new
 * framework per test, so no test sees another's patched prototype.
 */
function framework(): { app(parent?: object): object } {
  const response = Object.create(ServerResponse.prototype) as object;
  return { app: (parent = response) => Object.create(parent) as object };
}

describe('node-http: holdResponseUntilCommitted on re-prototyped responses (Express-like, real HTTP server)', () => {
  const nodeMethods = Object.fromEntries(HELD_METHODS.map((method) => [method, ServerResponse.prototype[method]]));
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
    for (const method of HELD_METHODS) expect(ServerResponse.prototype[method], method).to.equal(nodeMethods[method]);
  });

  async function start(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    const server = await serve(handler);
    close = server.close;
    return server.url;
  }

  const rethrow = (error: unknown): never => {
    throw error;
  };

  it('T7: adds no own property to the response and patches neither ServerResponse.prototype nor the app prototype', async () => {
    const { app } = framework();
    const appResponse = app();
    const frameworkResponse = Object.getPrototypeOf(appResponse) as object;
    let own: string[] = [];
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      const before = Reflect.ownKeys(res);
      hold(res, async () => undefined, rethrow);
      own = Reflect.ownKeys(res).filter((key) => !before.includes(key)).map(String);
      res.end('ok');
    });
    const response = await fetch(url);
    expect(await response.text()).to.equal('ok');
    expect(own).to.deep.equal([]);
    expect(Object.getOwnPropertyNames(appResponse)).to.deep.equal([]);
    for (const method of HELD_METHODS) {
      const descriptor = Object.getOwnPropertyDescriptor(frameworkResponse, method);
      expect(descriptor?.enumerable, method).to.equal(false);
      expect(descriptor?.value, method).to.be.a('function').and.not.equal(nodeMethods[method]);
    }
  });

  it('T7: writeHead, writes, flushHeaders and end are held, then replayed in order after one commit', async () => {
    const { app } = framework();
    const appResponse = app();
    let commits = 0;
    const returned: unknown[] = [];
    const observed: string[] = [];
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      hold(res, async () => {
        commits += 1;
        observed.push(`commit: headersSent=${res.headersSent}`);
        await new Promise((resolve) => setImmediate(resolve));
        res.setHeader('x-committed', String(commits));
      }, rethrow);
      returned.push(res.writeHead(202, { 'x-handler': 'yes', 'content-type': 'text/plain' }) === res);
      returned.push(res.write('a'));
      returned.push(res.flushHeaders() as unknown === res);
      returned.push(res.write('b'));
      returned.push(res.end('c') === res);
      observed.push(`after end: headersSent=${res.headersSent}`);
    });
    const response = await fetch(url);
    expect(response.status).to.equal(202);
    expect(response.headers.get('x-handler')).to.equal('yes');
    expect(response.headers.get('x-committed')).to.equal('1');
    expect(await response.text()).to.equal('abc');
    expect(commits).to.equal(1);
    expect(returned).to.deep.equal([true, true, true, true, true]);
    expect(observed).to.deep.equal(['commit: headersSent=false', 'after end: headersSent=false']);
  });

  it('T7: writeHead alone does not start the commit; the first write does', async () => {
    const { app } = framework();
    const appResponse = app();
    const observed: string[] = [];
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      hold(res, async () => {
        observed.push('commit');
      }, rethrow);
      res.writeHead(200, { 'content-type': 'text/plain' });
      observed.push('after writeHead');
      setTimeout(() => {
        observed.push('write');
        res.write('x');
        res.end();
      }, 5);
    });
    expect(await (await fetch(url)).text()).to.equal('x');
    expect(observed).to.deep.equal(['after writeHead', 'write', 'commit']);
  });

  it('T7: once committed, later calls go straight to the response without a second commit', async () => {
    const { app } = framework();
    const appResponse = app();
    let commits = 0;
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      const committed = deferred();
      hold(res, async () => {
        commits += 1;
        committed.resolve();
      }, rethrow);
      res.write('first ');
      void committed.promise.then(() => setImmediate(() => {
        const sent = res.headersSent;
        res.write(`headersSent=${sent} `);
        res.end('last');
      }));
    });
    expect(await (await fetch(url)).text()).to.equal('first headersSent=true last');
    expect(commits).to.equal(1);
  });

  it('F1, T7: when the commit fails the held calls are dropped and onError answers through the same methods', async () => {
    const { app } = framework();
    const appResponse = app();
    const failure = new Error('store down');
    let reported: unknown;
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      hold(res, async () => {
        throw failure;
      }, (error) => {
        reported = error;
        res.statusCode = 503;
        res.setHeader('content-type', 'text/plain');
        res.end('service unavailable');
      });
      res.writeHead(200, { 'x-handler': 'yes' });
      res.write('handler ');
      res.end('body');
    });
    const response = await fetch(url);
    expect(response.status).to.equal(503);
    expect(response.headers.get('x-handler')).to.equal(null);
    expect(await response.text()).to.equal('service unavailable');
    expect(reported).to.equal(failure);
  });

  it('T7: two apps on one framework hold independently; an app without a hold and an unheld response on a held app are not affected', async () => {
    const { app } = framework();
    const appA = app();
    const appB = app();
    const plainApp = app();
    const commitA = deferred();
    const commitB = deferred();
    const observed: string[] = [];
    const url = await start((req, res) => {
      const which = req.url ?? '';
      if (which === '/a' || which === '/b') {
        Object.setPrototypeOf(res, which === '/a' ? appA : appB);
        const commit = which === '/a' ? commitA : commitB;
        hold(res, async () => {
          await commit.promise;
          res.setHeader('x-committed', which);
        }, rethrow);
        res.end(`held ${which}`);
        observed.push(`${which}: headersSent=${res.headersSent}`);
      } else {
        // Not managed: an app without sessions, or a route of app A before its session middleware.
        Object.setPrototypeOf(res, which === '/plain' ? plainApp : appA);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`straight ${which}`);
        observed.push(`${which}: headersSent=${res.headersSent}`);
      }
    });
    const a = fetch(`${url}a`);
    const b = fetch(`${url}b`);
    // Both held: the unmanaged ones answer at once while they wait.
    const plain = await fetch(`${url}plain`);
    expect(await plain.text()).to.equal('straight /plain');
    const early = await fetch(`${url}early`);
    expect(await early.text()).to.equal('straight /early');
    commitB.resolve();
    const responseB = await b;
    expect(responseB.headers.get('x-committed')).to.equal('/b');
    expect(await responseB.text()).to.equal('held /b');
    commitA.resolve();
    const responseA = await a;
    expect(responseA.headers.get('x-committed')).to.equal('/a');
    expect(await responseA.text()).to.equal('held /a');
    expect(observed).to.deep.equal([
      '/a: headersSent=false',
      '/b: headersSent=false',
      '/plain: headersSent=true',
      '/early: headersSent=true',
    ]);
  });

  it('T7: the hold stays when the response moves to another app prototype (parent app after a sub-app, or another app)', async () => {
    const { app } = framework();
    const parent = app();
    const sub = app(parent);
    const other = app();
    let commits = 0;
    const url = await start((req, res) => {
      // The session middleware runs in the sub-app; the response is sent after leaving it.
      Object.setPrototypeOf(res, sub);
      hold(res, async () => {
        commits += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        res.setHeader('x-committed', 'yes');
      }, rethrow);
      Object.setPrototypeOf(res, req.url === '/other' ? other : parent);
      res.statusCode = 404;
      res.end('not found');
    });
    for (const path of ['parent', 'other']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).to.equal(404);
      expect(response.headers.get('x-committed'), path).to.equal('yes');
      expect(await response.text(), path).to.equal('not found');
    }
    expect(commits).to.equal(2);
  });

  it('T7: the installed methods act on the `this` they are called with, as Node\'s own do', async () => {
    const { app } = framework();
    const appResponse = app();
    let heldEnd: ServerResponse['end'] | undefined;
    let otherSentAtOnce = false;
    const url = await start((req, res) => {
      Object.setPrototypeOf(res, appResponse);
      if (req.url === '/held') {
        hold(res, () => new Promise((resolve) => setTimeout(resolve, 5)), rethrow);
        heldEnd = res.end;
        res.end('held');
        return;
      }
      // The same function, called on another (unheld) response, writes that response at once.
      const end = heldEnd as (this: unknown, ...args: unknown[]) => unknown;
      end.call(res, 'other');
      otherSentAtOnce = res.headersSent;
    });
    expect(await (await fetch(`${url}held`)).text()).to.equal('held');
    expect(await (await fetch(`${url}unheld`)).text()).to.equal('other');
    expect(otherSentAtOnce).to.equal(true);
    const end = heldEnd as (this: unknown) => unknown;
    const nodeEnd = nodeMethods.end as (this: unknown) => unknown;
    let nodeError: unknown;
    try {
      nodeEnd.call(undefined);
    } catch (error) {
      nodeError = error;
    }
    expect(nodeError).to.be.instanceOf(TypeError);
    expect(() => end.call(undefined)).to.throw(TypeError);
    expect(() => end.call(42)).to.throw(TypeError);
  });

  it('T7: a method replaced on the response before the hold is wrapped as before (the hold stays outermost)', async () => {
    const { app } = framework();
    const appResponse = app();
    const observed: string[] = [];
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      // Like compression or on-headers mounted before the session middleware.
      const end = res.end;
      res.end = function (this: ServerResponse, ...args: unknown[]) {
        observed.push('earlier middleware end');
        return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
      } as ServerResponse['end'];
      hold(res, async () => {
        observed.push('commit');
      }, rethrow);
      res.end('done');
      observed.push('after end');
    });
    expect(await (await fetch(url)).text()).to.equal('done');
    expect(observed).to.deep.equal(['commit', 'after end', 'earlier middleware end']);
  });

  it('T7: a second hold on the same response wraps the first; both commit, the later one first', async () => {
    const { app } = framework();
    const appResponse = app();
    const observed: string[] = [];
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      hold(res, async () => {
        observed.push(`first commit: headersSent=${res.headersSent}`);
      }, rethrow);
      hold(res, async () => {
        observed.push(`second commit: headersSent=${res.headersSent}`);
      }, rethrow);
      res.end('done');
    });
    expect(await (await fetch(url)).text()).to.equal('done');
    expect(observed).to.deep.equal(['second commit: headersSent=false', 'first commit: headersSent=false']);
  });

  it('T7: a prototype that cannot take the methods (frozen) falls back to holding the response itself', async () => {
    const frozenFramework = Object.freeze(Object.create(ServerResponse.prototype) as object);
    const appResponse = Object.create(frozenFramework) as object;
    let commits = 0;
    const url = await start((_req, res) => {
      Object.setPrototypeOf(res, appResponse);
      hold(res, async () => {
        commits += 1;
        res.setHeader('x-committed', 'yes');
      }, rethrow);
      res.end('done');
    });
    const response = await fetch(url);
    expect(response.headers.get('x-committed')).to.equal('yes');
    expect(await response.text()).to.equal('done');
    expect(commits).to.equal(1);
  });

  it('T7: a plain ServerResponse is held through its own methods; ServerResponse.prototype is never patched', async () => {
    let own: string[] = [];
    const url = await start((_req, res) => {
      hold(res, async () => undefined, rethrow);
      own = HELD_METHODS.filter((method) => Object.hasOwn(res, method));
      res.end('done');
    });
    expect(await (await fetch(url)).text()).to.equal('done');
    expect(own).to.deep.equal(HELD_METHODS);
  });
});
