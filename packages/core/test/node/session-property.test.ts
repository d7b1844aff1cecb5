import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createSessionEngine, type RequestSession, type SessionEngine } from '../../src/engine.js';
import { SessionConfigError, SessionDataError } from '../../src/errors.js';
import { MemoryStore } from '../../src/memory-store.js';
import { attachSession, checkSessionSlot } from '../../src/node/session-property.js';
import { thrownBy } from '../support/errors.js';

/** The `session` property on Express's `req` / Koa's `ctx`: R5 (assignment) and R6 (one session middleware). */

const stores: MemoryStore[] = [];
function engine(): SessionEngine {
  const store = new MemoryStore();
  stores.push(store);
  return createSessionEngine({ secrets: [randomBytes(48).toString('base64url')], store, env: {} });
}

/** Opens a request; `cookieHeader()` answers the Cookie header of the cookies it set (clearing ones dropped). */
async function open(on: SessionEngine, cookieHeader?: string): Promise<{ request: RequestSession; cookieHeader(): string }> {
  let jar = '';
  const request = await on.open({
    cookieHeader,
    secure: false,
    setCookies: (values) => {
      jar = values.filter((value) => !/max-age=0/i.test(value)).map((value) => value.split(';')[0]).join('; ');
    },
  });
  return { request, cookieHeader: () => jar };
}

describe('node: checkSessionSlot', () => {
  after(() => {
    for (const store of stores.splice(0)) store.close();
  });

  class WithInheritedGetter {
    get session(): unknown {
      throw new Error('the other library\'s getter must not be called');
    }
  }
  const free: Array<[string, () => object]> = [
    ['a request without a session property', () => ({})],
    ['session: undefined (own)', () => ({ session: undefined })],
    ['an own getter answering undefined', () => Object.defineProperty({}, 'session', { get: () => undefined })],
    ['an inherited session: undefined', () => Object.create({ session: undefined }) as object],
  ];
  for (const [name, make] of free) {
    it(`R6: ${name} is free`, () => {
      expect(() => checkSessionSlot(make(), 'req.session')).to.not.throw();
    });
  }

  const taken: Array<[string, () => object]> = [
    ['an express-session / cookie-session object', () => ({ session: { cookie: {} } })],
    ['session: null', () => ({ session: null })],
    ['an own getter answering an object', () => Object.defineProperty({}, 'session', { get: () => ({}) })],
    ['a getter on the prototype (koa-session on app.context), not called', () => new WithInheritedGetter()],
    ['an inherited value', () => Object.create({ session: {} }) as object],
  ];
  for (const [name, make] of taken) {
    it(`R6: ${name} is another session middleware: SessionConfigError naming the property`, () => {
      const error = thrownBy(() => checkSessionSlot(make(), 'ctx.session'));
      expect(error).to.be.instanceOf(SessionConfigError);
      expect((error as SessionConfigError).code).to.equal('ERR_SESSION_CONFIG');
      expect((error as Error).message).to.include('ctx.session').and.include('another session middleware');
    });
  }

  it('R6: sessionware mounted twice (the slot holds a sessionware session) is a SessionConfigError saying so', async () => {
    const { request } = await open(engine());
    const req = {};
    attachSession(req, request);
    const error = thrownBy(() => checkSessionSlot(req, 'req.session'));
    expect(error).to.be.instanceOf(SessionConfigError);
    expect((error as Error).message).to.include('mounted twice').and.include('req.session');
  });
});

describe('node: attachSession', () => {
  after(() => {
    for (const store of stores.splice(0)) store.close();
  });

  it('R5: req.session reads the request\'s session object, an enumerable property', async () => {
    const { request } = await open(engine());
    const req = {};
    attachSession(req, request);
    expect((req as { session: unknown }).session).to.equal(request.session);
    expect(Object.keys(req)).to.deep.equal(['session']);
  });

  it('R5: req.session = null destroys the session, as destroy() does: the record is gone and the cookies are cleared', async () => {
    const on = engine();
    const first = await open(on);
    first.request.session['name'] = 'ada';
    await first.request.commit();
    const cookieHeader = first.cookieHeader();
    expect(cookieHeader).to.not.equal('');
    const cleared: string[] = [];
    const second = await on.open({ cookieHeader, secure: false, setCookies: (values) => cleared.push(...values) });
    expect(second.session['name']).to.equal('ada');
    const req = {};
    attachSession(req, second);
    (req as { session: unknown }).session = null;
    await second.commit();
    expect(cleared.length).to.be.greaterThan(0);
    expect(cleared.every((value) => /max-age=0/i.test(value))).to.equal(true);
    const third = await open(on, cookieHeader);
    expect({ ...third.request.session }).to.deep.equal({});
  });

  it('R5: assigning the session object itself changes nothing', async () => {
    const { request } = await open(engine());
    const req = {};
    attachSession(req, request);
    request.session['kept'] = 1;
    (req as { session: unknown }).session = request.session;
    expect((req as { session: Record<string, unknown> }).session['kept']).to.equal(1);
  });

  const refused: Array<[string, unknown]> = [
    ['a plain object', { user: 'mallory' }],
    ['undefined', undefined],
    ['a string', 'sid'],
    ['0', 0],
    ['false', false],
    ['another request\'s session', 'other'],
  ];
  for (const [name, value] of refused) {
    it(`R5: assigning ${name} throws SessionDataError and keeps the session`, async () => {
      const on = engine();
      const { request } = await open(on);
      const replacement = value === 'other' ? (await open(on)).request.session : value;
      const req = {};
      attachSession(req, request);
      request.session['kept'] = 1;
      const error = thrownBy(() => {
        (req as { session: unknown }).session = replacement;
      });
      expect(error).to.be.instanceOf(SessionDataError);
      expect((req as { session: unknown }).session).to.equal(request.session);
      expect(request.session['kept']).to.equal(1);
    });
  }
});

