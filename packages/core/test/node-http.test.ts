import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { holdResponseUntilCommitted, isSecureRequest } from '../src/node-http.js';

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
      holdResponseUntilCommitted(res, async () => {
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
      holdResponseUntilCommitted(res, async () => {
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
      holdResponseUntilCommitted(res, async () => {
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
      holdResponseUntilCommitted(res, async () => {
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
      holdResponseUntilCommitted(res, async () => {
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
