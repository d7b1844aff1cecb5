import { createServer, get as httpGet, ServerResponse, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { expect } from 'chai';
import express, { type Express } from 'express';
import { listen } from '@sessionware/test-support';
import { holdResponse, type HeldResponse, type ResponseCommitter } from '../../src/node/held-response.js';
import { deferred, type Deferred } from '../support/deferred.js';
import { failOnStrayErrors } from '../support/errors.js';

/**
 * The hold of one Node response until its session is committed (SPEC T7), on real HTTP
 * servers: what the app's response calls do while held reads as on a plain response (R1),
 * backpressure and 'drain' (R2), and a failed commit answered through the error path (F1).
 */

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A committer the test drives: `commit()` waits for `gate`; `sync` is what `commitSync()` answers. */
interface TestCommitter extends ResponseCommitter {
  gate: Deferred;
  commits: number;
  syncCalls: number;
  sync: boolean;
  /** Resolves when `commit()` is first called. */
  started: Promise<void>;
  /** Runs inside the commit, before it resolves (sets the cookies). */
  during?: () => void;
}

function testCommitter(options: { sync?: boolean; open?: boolean } = {}): TestCommitter {
  const gate = deferred();
  if (options.open === true) gate.resolve();
  const started = deferred();
  const committer: TestCommitter = {
    gate,
    commits: 0,
    syncCalls: 0,
    sync: options.sync ?? false,
    started: started.promise,
    commitSync() {
      committer.syncCalls += 1;
      return committer.sync;
    },
    async commit() {
      committer.commits += 1;
      started.resolve();
      await gate.promise;
      committer.during?.();
    },
  };
  return committer;
}

/** What the client saw of one response; `error` when the connection was cut. */
interface Seen {
  status?: number;
  statusMessage?: string;
  headers?: IncomingHttpHeaders;
  body: Buffer;
  error?: string;
}

/** GET with Node's client (no agent, so no pooled connection outlives a test). */
function request(url: string): Promise<Seen> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const fail = (error: Error & { code?: string }): void => resolve({ body: Buffer.concat(chunks), error: error.code ?? error.message });
    httpGet(url, { agent: false }, (response) => {
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', fail);
      response.on('end', () => {
        const seen: Seen = { status: response.statusCode ?? 0, statusMessage: response.statusMessage ?? '', headers: response.headers, body: Buffer.concat(chunks) };
        resolve(response.complete ? seen : { ...seen, error: 'incomplete' });
      });
    }).on('error', fail);
  });
}

/** The error a call throws, as code/name/message, or undefined. */
function thrown(call: () => unknown): { name: string; code: unknown; message: string } | undefined {
  try {
    call();
  } catch (error) {
    const failure = error as Error & { code?: unknown };
    return { name: failure.name, code: failure.code, message: failure.message };
  }
  return undefined;
}

/** The kind of a thrown error (class and code): what callers branch on. */
function kind(error: { name: string; code: unknown } | undefined): { name: string; code: unknown } | undefined {
  return error === undefined ? undefined : { name: error.name, code: error.code };
}

/** What Node itself says of a response (the prototype getters), not what the hold answers. */
/** Whether Node has put the head on the wire (its `_headerSent` flag): under a hold the head only counts as written. */
function realHeadersSent(res: ServerResponse): boolean {
  return (res as unknown as { _headerSent: boolean })._headerSent;
}

const HELD_KEYS = ['writeHead', 'write', 'end', 'flushHeaders', 'setHeader', 'appendHeader', 'removeHeader', '_implicitHeader', 'headersSent', 'writableEnded', 'writableNeedDrain'];
/** What a hold adds to a response that has its socket: the four writing methods (they stay, passing calls through, after it). */
const WRITING_KEYS = ['writeHead', 'write', 'end', 'flushHeaders'];

/**
 * The own descriptors of the properties a hold may take (`flush` too), for an exact
 * before/after comparison; Node's own state fields (`_header`, `finished`, …) change with
 * the writing itself and are left out.
 */
function ownDescriptors(res: object): Map<string, PropertyDescriptor | undefined> {
  return new Map([...HELD_KEYS, 'flush'].map((key) => [key, Object.getOwnPropertyDescriptor(res, key)]));
}

describe('node: holdResponse (real HTTP server)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const onProblem = failOnStrayErrors({ uncaught: true });

  async function start(handler: Handler): Promise<string> {
    const server = await listen(createServer(handler));
    closers.push(server.close);
    return server.url;
  }

  /** An onError that must not be called: what it gets fails the test like a stray error. */
  const unexpected = onProblem;

  /**
   * Runs `script` on a plain response (`/plain`) and on a held one (`/held`, committing at
   * once) and answers what it returned on each, to compare the hold with Node itself (R1).
   */
  async function onBoth<T>(script: (res: ServerResponse) => T): Promise<{ plain: T; held: T; replies: { plain: Seen; held: Seen } }> {
    const results = new Map<string, T>();
    const url = await start((req, res) => {
      const which = req.url === '/held' ? 'held' : 'plain';
      if (which === 'held') expect(holdResponse(res, testCommitter({ open: true }), unexpected)).to.not.equal(undefined);
      results.set(which, script(res));
      if (!res.writableEnded) res.end();
    });
    const plain = await request(`${url}/plain`);
    const held = await request(`${url}/held`);
    return { plain: results.get('plain') as T, held: results.get('held') as T, replies: { plain, held } };
  }

  describe('T7: the commit comes before the head', () => {
    it('T7: end() is answered only after the commit resolves, with the Set-Cookie the commit set through the handle', async () => {
      const committer = testCommitter();
      const observed: string[] = [];
      const url = await start((_req, res) => {
        const held = holdResponse(res, committer, unexpected) as HeldResponse;
        committer.during = () => {
          observed.push(`commit sets cookie: ${String(held.setHeader('set-cookie', ['sw.sid=token; Path=/; HttpOnly']))}`);
        };
        res.statusCode = 201;
        res.setHeader('content-type', 'text/plain');
        res.end('created');
        observed.push(`after end: headersSent=${String(res.headersSent)} real=${String(realHeadersSent(res))}`);
        void committer.started.then(() => {
          observed.push(`commit pending: real=${String(realHeadersSent(res))}`);
          committer.gate.resolve();
        });
      });
      const seen = await request(url);
      expect(seen.status).to.equal(201);
      expect(seen.headers?.['set-cookie']).to.deep.equal(['sw.sid=token; Path=/; HttpOnly']);
      expect(seen.body.toString()).to.equal('created');
      expect(observed).to.deep.equal(['after end: headersSent=true real=false', 'commit pending: real=false', 'commit sets cookie: true']);
      expect(committer.commits).to.equal(1);
    });

    for (const trigger of ['write', 'end', 'flushHeaders'] as const) {
      it(`T7: ${trigger}() starts the commit, once; writeHead and header calls before it do not`, async () => {
        const committer = testCommitter();
        const counts: number[] = [];
        const url = await start((_req, res) => {
          holdResponse(res, committer, unexpected);
          res.setHeader('x-a', '1');
          res.writeHead(200, { 'content-type': 'text/plain' });
          counts.push(committer.commits);
          if (trigger === 'write') res.write('x');
          else if (trigger === 'end') res.end('x');
          else res.flushHeaders();
          counts.push(committer.commits);
          if (trigger !== 'end') res.write('y');
          res.end();
          counts.push(committer.commits);
          committer.gate.resolve();
        });
        const seen = await request(url);
        expect(seen.status).to.equal(200);
        expect(seen.headers?.['x-a']).to.equal('1');
        expect(seen.body.toString()).to.equal(trigger === 'write' ? 'xy' : trigger === 'end' ? 'x' : 'y');
        expect(counts).to.deep.equal([0, 1, 1]);
      });
    }

    it('T7: when commitSync() answers true the hold ends at once and the call goes straight through (commit() never called)', async () => {
      const committer = testCommitter({ sync: true });
      let state: unknown;
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        res.end('straight');
        state = { real: realHeadersSent(res), own: HELD_KEYS.filter((key) => Object.hasOwn(res, key)) };
      });
      const seen = await request(url);
      expect(seen.body.toString()).to.equal('straight');
      expect(state).to.deep.equal({ real: true, own: WRITING_KEYS });
      expect(committer.commits).to.equal(0);
      expect(committer.syncCalls).to.equal(1);
    });

    it('R1, T7: when commitSync() answers true after writeHead, the answer keeps the status written at head time', async () => {
      // On a plain response writeHead(201) fixes the status; a later res.statusCode = 404 does not change the answer.
      const { plain, replies } = await onBoth((res) => {
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.statusCode = 404;
        return res.statusCode;
      });
      expect(replies.plain.status).to.equal(201);
      const committer = testCommitter({ sync: true });
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        res.writeHead(201, { 'content-type': 'text/plain' });
        res.statusCode = 404;
        res.end('made');
      });
      const seen = await request(url);
      expect(plain).to.equal(404);
      expect(seen.status, 'status of the head written before commitSync() ended the hold').to.equal(201);
    });

    it('T7: holdResponse holds nothing (answers undefined) when the head has already gone out', async () => {
      let answer: unknown = 'not called';
      const url = await start((_req, res) => {
        res.flushHeaders();
        answer = holdResponse(res, testCommitter(), unexpected);
        res.end('ok');
      });
      expect((await request(url)).body.toString()).to.equal('ok');
      expect(answer).to.equal(undefined);
    });
  });

  describe('R1: state and errors read as on a plain response while held', () => {
    const triggers = {
      writeHead: (res: ServerResponse) => res.writeHead(200),
      write: (res: ServerResponse) => res.write('x'),
      end: (res: ServerResponse) => res.end('x'),
      flushHeaders: (res: ServerResponse) => res.flushHeaders(),
    };
    const calls = {
      setHeader: (res: ServerResponse) => res.setHeader('x-late', '1'),
      appendHeader: (res: ServerResponse) => res.appendHeader('x-late', '1'),
      removeHeader: (res: ServerResponse) => res.removeHeader('content-type'),
      writeHead: (res: ServerResponse) => res.writeHead(200),
    };
    for (const [triggerName, trigger] of Object.entries(triggers)) {
      for (const [callName, call] of Object.entries(calls)) {
        it(`R1: after ${triggerName}(), ${callName}() throws ERR_HTTP_HEADERS_SENT synchronously, as Node does; headersSent/writableEnded as Node's`, async () => {
          const { plain, held } = await onBoth((res) => {
            const before = { headersSent: res.headersSent, writableEnded: res.writableEnded };
            trigger(res);
            const after = { headersSent: res.headersSent, writableEnded: res.writableEnded, statusCode: res.statusCode };
            return { before, after, error: thrown(() => call(res)) };
          });
          expect(plain.error?.code).to.equal('ERR_HTTP_HEADERS_SENT');
          expect(held).to.deep.equal(plain);
        });
      }
    }

    const badStatuses: Array<[string, (res: ServerResponse) => unknown]> = [
      ['writeHead(99)', (res) => res.writeHead(99)],
      ['writeHead(1000)', (res) => res.writeHead(1000)],
      ['writeHead("abc")', (res) => res.writeHead('abc' as unknown as number)],
      ['statusCode = 1000, then end()', (res) => {
        res.statusCode = 1000;
        try {
          return res.end('x');
        } finally {
          res.statusCode = 200;
        }
      }],
      ['statusCode = 42, then write()', (res) => {
        res.statusCode = 42;
        try {
          return res.write('x');
        } finally {
          res.statusCode = 200;
        }
      }],
    ];
    for (const [name, call] of badStatuses) {
      it(`R1: ${name} throws ERR_HTTP_INVALID_STATUS_CODE synchronously, as Node does, and leaves the head unwritten`, async () => {
        const { plain, held, replies } = await onBoth((res) => ({ error: thrown(() => call(res)), headersSent: res.headersSent }));
        expect(plain.error).to.include({ name: 'RangeError', code: 'ERR_HTTP_INVALID_STATUS_CODE' });
        expect(held).to.deep.equal(plain);
        expect(replies.held.status).to.equal(replies.plain.status);
      });
    }

    const badChunks: Array<[string, (res: ServerResponse) => unknown, string]> = [
      ['write(null)', (res) => res.write(null as never), 'ERR_STREAM_NULL_VALUES'],
      ['write(123)', (res) => res.write(123 as never), 'ERR_INVALID_ARG_TYPE'],
      ['write({})', (res) => res.write({} as never), 'ERR_INVALID_ARG_TYPE'],
      ['end(123)', (res) => res.end(123 as never), 'ERR_INVALID_ARG_TYPE'],
      ['write(123) after end()', (res) => {
        res.end('x');
        return res.write(123 as never);
      }, 'ERR_INVALID_ARG_TYPE'],
    ];
    for (const [name, call, code] of badChunks) {
      it(`R1: ${name} throws ${code} synchronously, as Node does, without starting the commit`, async () => {
        // Class and code as Node's (the wording of the message is not Node's own).
        const { plain, held } = await onBoth((res) => ({ error: kind(thrown(() => call(res))), headersSent: res.headersSent }));
        expect(plain.error).to.include({ name: 'TypeError', code });
        expect(held).to.deep.equal(plain);
        if (!name.includes('after end')) {
          const committer = testCommitter({ open: true });
          const url = await start((_req, res) => {
            holdResponse(res, committer, unexpected);
            thrown(() => call(res));
            expect(committer.commits, 'commit not started by a refused write').to.equal(0);
            res.end('ok');
          });
          expect((await request(url)).body.toString()).to.equal('ok');
        }
      });
    }

    it('R1: writableEnded is false until end() and true after, while the commit is pending', async () => {
      const committer = testCommitter();
      const observed: unknown[] = [];
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        observed.push(res.writableEnded);
        res.write('a');
        observed.push(res.writableEnded);
        res.end('b');
        observed.push(res.writableEnded, Reflect.get(ServerResponse.prototype, 'writableEnded', res));
        committer.gate.resolve();
      });
      expect((await request(url)).body.toString()).to.equal('ab');
      // Node's own getter reads the same: the hold sets Node's `finished`, as end() does.
      expect(observed).to.deep.equal([false, false, true, true]);
    });

    it('R1: _implicitHeader() (as compression calls it) marks the head written without starting the commit', async () => {
      const committer = testCommitter();
      const observed: unknown[] = [];
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        (res as unknown as { _implicitHeader(): void })._implicitHeader();
        observed.push(res.headersSent, committer.commits, thrown(() => res.setHeader('x-late', '1'))?.code);
        res.end('ok');
        committer.gate.resolve();
      });
      expect((await request(url)).body.toString()).to.equal('ok');
      expect(observed).to.deep.equal([true, 0, 'ERR_HTTP_HEADERS_SENT']);
    });

    it('R1: writeHead, write, end and flushHeaders answer what Node answers (this, true, this, undefined)', async () => {
      const script = (res: ServerResponse): unknown[] => [res.writeHead(200) === res, res.write('a'), res.flushHeaders(), res.end('b') === res];
      const { plain, held, replies } = await onBoth(script);
      expect(held).to.deep.equal(plain);
      expect(replies.held.body.toString()).to.equal('ab');
    });
  });

  describe('T7: the replay after a successful commit', () => {
    it('T7: writeHead with a reason and headers, writes and end are replayed in order; the status is the one at head time', async () => {
      const committer = testCommitter();
      let statusAfter = 0;
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        res.writeHead(202, 'Taken', { 'x-handler': 'yes', 'content-type': 'text/plain' });
        res.write('a');
        res.statusCode = 500;
        res.write('b');
        res.end('c');
        res.statusCode = 503;
        void committer.started.then(() => {
          committer.gate.resolve();
          return new Promise((resolve) => res.once('finish', resolve)).then(() => {
            statusAfter = res.statusCode;
          });
        });
      });
      const seen = await request(url);
      expect([seen.status, seen.statusMessage]).to.deep.equal([202, 'Taken']);
      expect(seen.headers?.['x-handler']).to.equal('yes');
      expect(seen.body.toString()).to.equal('abc');
      // Without the hold, res.statusCode reads what the app set last (R1).
      expect(statusAfter).to.equal(503);
    });

    it('T7: the status set after end() does not change the answer', async () => {
      const { plain, replies } = await onBoth((res) => {
        res.statusCode = 201;
        res.end('made');
        res.statusCode = 500;
        return res.statusCode;
      });
      expect(replies.plain.status).to.equal(201);
      expect(replies.held.status).to.equal(201);
      expect(plain).to.equal(500);
    });

    it('T7: the callbacks of kept writes and of end are called once each, after the commit, without an error', async () => {
      const committer = testCommitter();
      const calls: string[] = [];
      const finished = deferred();
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        res.write('a', (error) => calls.push(`a:${String(error ?? null)}`));
        res.write('b', 'utf8', (error) => calls.push(`b:${String(error ?? null)}`));
        res.end('c', () => {
          calls.push('end');
          finished.resolve();
        });
        calls.push(`commit:${committer.commits}`);
        committer.gate.resolve();
      });
      expect((await request(url)).body.toString()).to.equal('abc');
      await finished.promise;
      await new Promise((resolve) => setImmediate(resolve));
      expect(calls).to.deep.equal(['commit:1', 'a:null', 'b:null', 'end']);
    });

    it('T7: compression-like own wrappers installed before the hold get the replay, and later calls still reach them', async () => {
      const committer = testCommitter();
      const log: string[] = [];
      let before: Map<string, PropertyDescriptor | undefined> | undefined;
      let after: Map<string, PropertyDescriptor | undefined> | undefined;
      const url = await start((_req, res) => {
        // As compression does: own write/end/writeHead capturing the previous ones.
        const { write, end, writeHead } = res;
        res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
          log.push(`writeHead ${String(args[0])}`);
          return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
        } as ServerResponse['writeHead'];
        res.write = function (this: ServerResponse, ...args: unknown[]) {
          log.push(`write ${String(args[0])}`);
          return (write as (...a: unknown[]) => boolean).apply(this, args);
        } as ServerResponse['write'];
        res.end = function (this: ServerResponse, ...args: unknown[]) {
          log.push(`end ${String(args[0])}`);
          return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
        } as ServerResponse['end'];
        before = ownDescriptors(res);
        holdResponse(res, committer, unexpected);
        res.statusCode = 207;
        res.write('a');
        res.end('b');
        log.push('handler done');
        void committer.started.then(() => {
          committer.gate.resolve();
          res.once('finish', () => {
            after = ownDescriptors(res);
          });
        });
      });
      const seen = await request(url);
      expect(seen.status).to.equal(207);
      expect(seen.body.toString()).to.equal('ab');
      expect(log).to.deep.equal(['handler done', 'writeHead 207', 'write a', 'end b']);
      // The hold's methods stayed in front of the wrappers; nothing else of the response changed.
      expect([...(after ?? new Map()).keys()].sort()).to.deep.equal([...(before ?? new Map()).keys()].sort());
      for (const key of ['writeHead', 'write', 'end']) expect(after?.get(key)?.value).to.not.equal(before?.get(key)?.value);
    });

    it('T7: after the release a plain response keeps only the hold\'s four writing methods, passing calls through', async () => {
      const committer = testCommitter();
      let before: Map<string, PropertyDescriptor | undefined> | undefined;
      let during: string[] = [];
      let after: Map<string, PropertyDescriptor | undefined> | undefined;
      const url = await start((_req, res) => {
        before = ownDescriptors(res);
        holdResponse(res, committer, unexpected);
        during = HELD_KEYS.filter((key) => Object.hasOwn(res, key));
        res.end('ok');
        void committer.started.then(() => {
          committer.gate.resolve();
          res.once('finish', () => {
            after = ownDescriptors(res);
          });
        });
      });
      expect((await request(url)).body.toString()).to.equal('ok');
      expect(during).to.deep.equal(WRITING_KEYS);
      const added = [...(after ?? new Map()).keys()].filter((key) => before?.get(key) === undefined && after?.get(key) !== undefined);
      expect(added.sort()).to.deep.equal([...WRITING_KEYS].sort());
    });

    it('T7: a wrapper installed over the hold\'s method is left in place after the release, the hold passing through', async () => {
      const committer = testCommitter();
      const log: string[] = [];
      let wrapper: unknown;
      let kept: unknown;
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        // Mounted after the hold began (compression after session()): it captures the hold's write.
        const write = res.write;
        wrapper = res.write = function (this: ServerResponse, ...args: unknown[]) {
          log.push(`outer write ${String(args[0])}`);
          return (write as (...a: unknown[]) => boolean).apply(this, args);
        } as ServerResponse['write'];
        res.write('a');
        void committer.started.then(() => {
          committer.gate.resolve();
          return committer.gate.promise;
        }).then(() => new Promise(setImmediate)).then(() => {
          kept = res.write;
          res.write('b');
          res.end('c');
        });
      });
      expect((await request(url)).body.toString()).to.equal('abc');
      expect(kept).to.equal(wrapper);
      expect(log).to.deep.equal(['outer write a', 'outer write b']);
    });

    it('T7: settled() ends an idle hold: a later end() is not held', async () => {
      const committer = testCommitter();
      let own: string[] = ['unset'];
      let real: unknown;
      const url = await start((_req, res) => {
        const held = holdResponse(res, committer, unexpected) as HeldResponse;
        held.settled();
        own = HELD_KEYS.filter((key) => Object.hasOwn(res, key));
        res.end('ok');
        real = realHeadersSent(res);
      });
      expect((await request(url)).body.toString()).to.equal('ok');
      expect(own).to.deep.equal(WRITING_KEYS);
      expect(real).to.equal(true);
      expect(committer.commits).to.equal(0);
    });

    it('T7: the handle\'s setHeader sets a header the hold would refuse (after end), and answers false once the hold is over', async () => {
      const committer = testCommitter();
      const answers: boolean[] = [];
      const url = await start((_req, res) => {
        const held = holdResponse(res, committer, unexpected) as HeldResponse;
        res.end('ok');
        answers.push(held.setHeader('set-cookie', ['a=1', 'b=2']));
        void committer.started.then(() => {
          committer.gate.resolve();
          res.once('finish', () => answers.push(held.setHeader('set-cookie', ['c=3'])));
        });
      });
      const seen = await request(url);
      expect(seen.headers?.['set-cookie']).to.deep.equal(['a=1', 'b=2']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(answers).to.deep.equal([true, false]);
    });
  });

  describe('F1: a failed commit', () => {
    it('F1: an ended response: kept calls dropped, their callbacks get the error once, onError once, the error path answers', async () => {
      const committer = testCommitter();
      const failure = new Error('store down');
      const calls: unknown[] = [];
      const reported: unknown[] = [];
      const url = await start((_req, res) => {
        holdResponse(res, committer, (error) => {
          reported.push(error);
          calls.push(`onError writableEnded=${String(res.writableEnded)} own=${HELD_KEYS.filter((key) => Object.hasOwn(res, key)).length}`);
          res.statusCode = 503;
          res.setHeader('content-type', 'text/plain');
          res.end('service unavailable');
        });
        res.writeHead(200, { 'x-handler': 'yes' });
        res.write('handler ', (error) => calls.push(error));
        res.end('body', (error?: Error | null) => calls.push(error));
        committer.gate.reject(failure);
      });
      const seen = await request(url);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen.status).to.equal(503);
      expect(seen.body.toString()).to.equal('service unavailable');
      expect(reported).to.deep.equal([failure]);
      expect(calls).to.deep.equal([`onError writableEnded=false own=${WRITING_KEYS.length}`, failure, failure]);
    });

    it('F1: a response not yet ended is destroyed instead of answered; callbacks get the error; onError once', async () => {
      const committer = testCommitter();
      const failure = new Error('store down');
      const calls: unknown[] = [];
      const reported: unknown[] = [];
      let destroyed: unknown;
      const url = await start((_req, res) => {
        holdResponse(res, committer, (error) => {
          reported.push(error);
          destroyed = res.destroyed;
        });
        res.write('partial', (error) => calls.push(error));
        committer.gate.reject(failure);
      });
      const seen = await request(url);
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen.error).to.not.equal(undefined);
      expect(seen.body.toString()).to.equal('');
      expect(destroyed).to.equal(true);
      expect(reported).to.deep.equal([failure]);
      expect(calls).to.deep.equal([failure]);
    });
  });

  describe('R2: backpressure while held', () => {
    it('R2: write() answers false once the buffered bytes reach the high-water mark; one drain follows the release', async () => {
      const committer = testCommitter();
      const observed: unknown[] = [];
      const finished = deferred();
      let drains = 0;
      const url = await start((_req, res) => {
        const hwm = res.writableHighWaterMark;
        holdResponse(res, committer, unexpected);
        observed.push(res.writableNeedDrain, res.write(Buffer.alloc(hwm - 1, 97)), res.writableNeedDrain);
        observed.push(res.write('a'), res.writableNeedDrain);
        res.on('drain', () => {
          drains += 1;
          // A drain means the downstream can take more now, not later.
          observed.push(`drain, needDrain=${String(res.writableNeedDrain)}`);
          if (drains === 1) res.end('!');
        });
        res.once('finish', () => finished.resolve());
        committer.gate.resolve();
      });
      const seen = await request(url);
      await finished.promise;
      await new Promise((resolve) => setImmediate(resolve));
      expect(observed).to.deep.equal([false, true, false, false, true, 'drain, needDrain=false']);
      expect(seen.body.toString().endsWith('a!')).to.equal(true);
      // Node's socket answered false on the replay and emits 'drain' itself: the hold adds none.
      expect(drains).to.equal(1);
    });

    it('R2: when the downstream accepts the replay (a buffering middleware before the hold), the hold emits the drain', async () => {
      const committer = testCommitter();
      const observed: unknown[] = [];
      let hwm = 0;
      const url = await start((_req, res) => {
        hwm = res.writableHighWaterMark;
        // A middleware with a larger buffer of its own: accepts every write, sends all at end().
        const end = res.end;
        const chunks: Buffer[] = [];
        res.write = function (this: ServerResponse, chunk: unknown) {
          chunks.push(Buffer.from(chunk as string));
          return true;
        } as ServerResponse['write'];
        res.end = function (this: ServerResponse) {
          return (end as (chunk: Buffer) => ServerResponse).call(this, Buffer.concat(chunks));
        } as ServerResponse['end'];
        holdResponse(res, committer, unexpected);
        observed.push(res.write('x'.repeat(hwm)));
        res.on('drain', () => {
          observed.push(`drain, held=${String(Object.hasOwn(res, 'headersSent'))}`);
          res.end();
        });
        committer.gate.resolve();
      });
      const seen = await request(url);
      expect(seen.body.length).to.equal(hwm);
      expect(observed).to.deep.equal([false, 'drain, held=false']);
    });

    it('R2: an 8 MiB pull-based stream piped into a held response pauses below 1 MiB, then arrives whole after the release', async function () {
      this.timeout(10000);
      const total = 8 * 1024 * 1024;
      const chunk = Buffer.alloc(64 * 1024, 120);
      let produced = 0;
      const committer = testCommitter();
      const outcome = deferred();
      let paused = 0;
      const url = await start((_req, res) => {
        holdResponse(res, committer, unexpected);
        const source = new Readable({
          read() {
            if (produced >= total) {
              this.push(null);
              return;
            }
            produced += chunk.length;
            this.push(chunk);
          },
        });
        source.once('pause', () => {
          paused = produced;
          outcome.resolve();
        });
        source.once('end', () => outcome.reject(new Error(`the source ended unpaused after ${produced} bytes`)));
        source.pipe(res);
      });
      const reply = request(url);
      await outcome.promise;
      expect(paused).to.be.lessThan(1024 * 1024);
      expect(committer.commits).to.equal(1);
      committer.gate.resolve();
      const seen = await reply;
      expect(seen.error).to.equal(undefined);
      expect(seen.body.length).to.equal(total);
    });
  });

  describe('R1, T7: Express responses', () => {
    function expressApp(hold: boolean, route: (res: express.Response) => unknown, results: unknown[]): Express {
      const app = express();
      app.use((_req, res, next) => {
        if (hold) holdResponse(res, testCommitter({ open: true }), unexpected);
        next();
      });
      app.get('/', (_req, res) => {
        results.push(route(res));
      });
      return app;
    }

    const routes: Array<[string, (res: express.Response) => unknown]> = [
      ['a second res.send throws ERR_HTTP_HEADERS_SENT', (res) => {
        res.send('first');
        return thrown(() => res.send('second'));
      }],
      ['res.status(...).json after res.end throws ERR_HTTP_HEADERS_SENT', (res) => {
        res.end('done');
        return thrown(() => res.status(500).json({ late: true }));
      }],
      ['res.set after res.redirect throws ERR_HTTP_HEADERS_SENT', (res) => {
        res.redirect(303, '/next');
        return { headersSent: res.headersSent, error: thrown(() => res.set('x-late', '1')) };
      }],
      ['res.json answers with status, headers and body', (res) => {
        res.status(201).set('x-route', 'json').json({ ok: true });
        return { headersSent: res.headersSent, writableEnded: res.writableEnded, statusCode: res.statusCode };
      }],
    ];
    for (const [name, route] of routes) {
      it(`R1, T7: held Express response: ${name}, as unheld`, async () => {
        const plainResults: unknown[] = [];
        const heldResults: unknown[] = [];
        const plainUrl = await start(expressApp(false, route, plainResults) as Handler);
        const plain = await request(plainUrl);
        const heldUrl = await start(expressApp(true, route, heldResults) as Handler);
        const held = await request(heldUrl);
        expect(heldResults).to.deep.equal(plainResults);
        expect([held.status, held.body.toString(), held.headers?.['content-type'], held.headers?.['location'], held.headers?.['x-route']])
          .to.deep.equal([plain.status, plain.body.toString(), plain.headers?.['content-type'], plain.headers?.['location'], plain.headers?.['x-route']]);
      });
    }
  });
});
