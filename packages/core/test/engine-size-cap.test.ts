import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createSessionEngine, type RequestSession, type SessionEngine } from '../src/engine.js';
import { SessionDataError } from '../src/errors.js';
import { MemoryStore } from '../src/memory-store.js';
import type { SessionOptions } from '../src/options.js';
import type { SessionUserAttributes } from '../src/session.js';
import type { DataChanges, ReplacementSession, SessionChanges, StoredSession } from '../src/store.js';

const SECRET = randomBytes(48).toString('base64url');

/** A MemoryStore that records which writing methods were called. */
class WriteLog extends MemoryStore {
  readonly writes: string[] = [];
  override async create(id: string, session: StoredSession): Promise<'created' | 'exists' | 'limited'> {
    this.writes.push('create');
    return super.create(id, session);
  }
  override async update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
    this.writes.push('update');
    return super.update(id, changes);
  }
  override async replace(oldId: string, newId: string, session: ReplacementSession, changes: DataChanges): Promise<'created' | 'exists' | 'missing' | 'limited'> {
    this.writes.push('replace');
    return super.replace(oldId, newId, session, changes);
  }
}

/** A client across requests: keeps the cookies the engine sets, counts the times it set any. */
class Browser {
  cookieHeader: string | undefined;
  cookieWrites = 0;
  open(engine: SessionEngine): Promise<RequestSession> {
    return engine.open({
      cookieHeader: this.cookieHeader,
      secure: false,
      setCookies: (values) => {
        this.cookieWrites += 1;
        this.cookieHeader = values.map((value) => value.split(';')[0]).filter((pair) => !pair?.endsWith('=')).join('; ');
      },
    });
  }
  /** One request that sets `data`'s keys and commits. */
  async write(engine: SessionEngine, data: Record<string, unknown>): Promise<void> {
    const request = await this.open(engine);
    Object.assign(request.session, data);
    await request.commit();
  }
  async data(engine: SessionEngine): Promise<Record<string, unknown>> {
    const request = await this.open(engine);
    const data = { ...request.session };
    await request.commit();
    return data;
  }
}

async function rejection(promise: Promise<unknown>): Promise<SessionDataError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).to.be.instanceOf(SessionDataError);
  return error as SessionDataError;
}

describe('engine: bounded sessions (T10)', () => {
  const stores: MemoryStore[] = [];
  function engineOn(store: MemoryStore, options: Partial<SessionOptions> = {}): SessionEngine {
    stores.push(store);
    return createSessionEngine({ secrets: [SECRET], store, env: {}, ...options });
  }
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });

  it('T10: an update past maxSessionBytes fails with SessionDataError 413 naming the cap, and nothing of it is written', async () => {
    const store = new WriteLog();
    const engine = engineOn(store, { maxSessionBytes: 64 });
    const browser = new Browser();
    await browser.write(engine, { a: 'x' });
    expect(store.writes).to.deep.equal(['create']);

    const second = await browser.open(engine);
    second.session['small'] = 1;
    second.session['note'] = 'secret-'.repeat(20);
    const error = await rejection(second.commit());
    expect(error).to.include({ code: 'ERR_SESSION_DATA', status: 413 });
    expect(error.message).to.equal('session data is too large: the change would take the session past maxSessionBytes (64 bytes)');
    expect(store.writes, 'no store call for the refused change').to.deep.equal(['create']);
    expect(await browser.data(engine), 'neither key of the change').to.deep.equal({ a: 'x' });
  });

  it('T10: a session exactly at maxSessionBytes is stored; the default cap is 64 KiB', async () => {
    const engine = engineOn(new MemoryStore(), { maxSessionBytes: 1 + 2 + 10 });
    const browser = new Browser();
    const request = await browser.open(engine);
    request.session['k'] = 'é'.repeat(5);
    await request.commit();
    expect(await browser.data(engine)).to.deep.equal({ k: 'ééééé' });

    const byDefault = engineOn(new MemoryStore());
    const within = await new Browser().open(byDefault);
    within.session['v'] = 'x'.repeat(65_536 - 3);
    await within.commit();
    const past = await new Browser().open(byDefault);
    past.session['v'] = 'x'.repeat(65_536 - 2);
    expect((await rejection(past.commit())).message).to.include('maxSessionBytes (65536 bytes)');
  });

  it('T10: after a refused save() the request can drop the big key, and the final commit stores the rest', async () => {
    const store = new WriteLog();
    const engine = engineOn(store, { maxSessionBytes: 64 });
    const browser = new Browser();
    await browser.write(engine, { a: 'x' });
    const second = await browser.open(engine);
    second.session['small'] = 1;
    second.session['big'] = 'y'.repeat(100);
    expect((await rejection(second.session.save())).status).to.equal(413);
    delete second.session['big'];
    await second.commit();
    expect(store.writes).to.deep.equal(['create', 'update']);
    expect(await browser.data(engine)).to.deep.equal({ a: 'x', small: 1 });
  });

  it('T10: a session stored past the cap (before it was lowered) may shrink, read and stay, but not grow', async () => {
    const store = new WriteLog();
    const browser = new Browser();
    const roomy = engineOn(store, { maxSessionBytes: 1_000 });
    await browser.write(roomy, { big: 'z'.repeat(200) });

    const tight = engineOn(store, { maxSessionBytes: 50 });
    const reader = await browser.open(tight);
    expect(reader.session['big']).to.have.length(200);
    expect(reader.commitSync(), 'a request that changes nothing commits at once').to.equal(true);
    const grower = await browser.open(tight);
    grower.session['more'] = 1;
    await rejection(grower.commit());
    const shrinker = await browser.open(tight);
    shrinker.session['big'] = 'z'.repeat(100);
    await shrinker.commit();
    expect(store.writes).to.deep.equal(['create', 'update']);
    expect(await browser.data(tight)).to.deep.equal({ big: 'z'.repeat(100) });
  });

  it('T10: a new session whose data is past the cap is refused before create, and no cookie is set', async () => {
    const store = new WriteLog();
    const engine = engineOn(store, { maxSessionBytes: 64 });
    const browser = new Browser();
    const request = await browser.open(engine);
    request.session['big'] = 'b'.repeat(100);
    expect((await rejection(request.commit())).status).to.equal(413);
    expect(store.writes).to.deep.equal([]);
    expect(store.size).to.equal(0);
    expect(browser.cookieWrites).to.equal(0);
  });

  it('T10, T6: regenerate() carrying data past the cap is refused before replace; the old session is unchanged and still valid', async () => {
    const store = new WriteLog();
    const engine = engineOn(store, { maxSessionBytes: 64 });
    const browser = new Browser();
    await browser.write(engine, { a: 'x' });
    const cookieHeader = browser.cookieHeader;
    const login = await browser.open(engine);
    void login.session.regenerate();
    login.session['big'] = 'b'.repeat(100);
    await rejection(login.commit());
    expect(store.writes).to.deep.equal(['create']);
    expect(browser.cookieHeader, 'no new cookie').to.equal(cookieHeader);
    expect(await browser.data(engine)).to.deep.equal({ a: 'x' });
  });

  it("T10, U1: login() is refused before the store call when the data is past the cap; the user's cached attributes do not count", async () => {
    const store = new WriteLog();
    // Typed loosely: the examples' SessionUser augmentation is global to this program.
    const attributes = { name: 'Ann', bio: 'a'.repeat(500) };
    const engine = engineOn(store, { maxSessionBytes: 64, loadUser: () => attributes as unknown as SessionUserAttributes });
    const ann = new Browser();
    const small = await ann.open(engine);
    await small.session.login('ann');
    await small.commit();
    expect(store.writes).to.deep.equal(['create']);
    const check = await ann.open(engine);
    expect(check.session.user).to.deep.equal(attributes);

    const bob = new Browser();
    await bob.write(engine, { cart: 'c'.repeat(40) });
    const big = await bob.open(engine);
    big.session['wishlist'] = 'w'.repeat(40);
    await big.session.login('bob');
    expect((await rejection(big.commit())).status).to.equal(413);
    expect(store.writes).to.deep.equal(['create', 'create']);
    expect(await bob.data(engine)).to.deep.equal({ cart: 'c'.repeat(40) });
  });
});
