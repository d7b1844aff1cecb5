import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { createSessionEngine, requestSessionOf, type RequestSession, type SessionEngine } from '../src/engine.js';
import { MemoryStore } from '../src/memory-store.js';
import { SessionDataError } from '../src/errors.js';
import type { SessionChanges, Store } from '../src/store.js';

/** An engine on `store` (a MemoryStore of its own when none is given), with a fresh secret. */
function engineOn(store?: Store): SessionEngine {
  return createSessionEngine({ secrets: [randomBytes(48).toString('base64url')], ...(store === undefined ? {} : { store }), env: {} });
}

/** Opens a request without a cookie; `cookieHeader()` answers the Cookie header of the cookies it set. */
async function openFirst(engine: SessionEngine): Promise<{ request: RequestSession; cookieHeader(): string }> {
  let cookieHeader = '';
  const request = await engine.open({
    cookieHeader: undefined,
    secure: false,
    setCookies: (values) => { cookieHeader = values.map((value) => value.split(';')[0]).join('; '); },
  });
  return { request, cookieHeader: () => cookieHeader };
}

describe('engine: commits', () => {
  it('T4, T7: a key set while an earlier save() is being stored is written by the final commit', async () => {
    let updateStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => { updateStarted = resolve; });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let gate = false;
    class GatedStore extends MemoryStore {
      override async update(id: string, changes: SessionChanges): Promise<'updated' | 'missing'> {
        if (gate) {
          updateStarted();
          await released;
        }
        return super.update(id, changes);
      }
    }
    const store: Store = new GatedStore();
    const engine = engineOn(store);
    const { request: first, cookieHeader: cookieOfFirst } = await openFirst(engine);
    first.session['a'] = 1;
    await first.commit();
    const cookieHeader = cookieOfFirst();
    const second = await engine.open({ cookieHeader, secure: false, setCookies: () => undefined });
    gate = true;
    second.session['b'] = 1;
    const cart = second.session['cart'] = [] as number[];
    const saving = second.session.save();
    await started;
    second.session['c'] = 1;
    cart.push(7);
    release();
    await saving;
    await second.commit();
    const third = await engine.open({ cookieHeader, secure: false, setCookies: () => undefined });
    expect({ ...third.session }).to.deep.equal({ a: 1, b: 1, c: 1, cart: [7] });
    (store as GatedStore).close();
  });

  it('T7: once the final commit has run, changing the session throws instead of being lost', async () => {
    const engine = engineOn();
    const request = await engine.open({ cookieHeader: undefined, secure: false, setCookies: () => undefined });
    request.session['a'] = 1;
    await request.commit();
    expect(() => { request.session['b'] = 2; }).to.throw(SessionDataError, 'after the response started');
    expect(() => { delete request.session['a']; }).to.throw(SessionDataError);
    expect(() => request.session.regenerate()).to.throw(SessionDataError);
    expect(request.session['a']).to.equal(1);
  });

  it('T4, T7: commitSync finishes a request that changed nothing without the store; a change still needs commit()', async () => {
    const store = new MemoryStore();
    const engine = engineOn(store);
    const { request: first, cookieHeader: cookieOfFirst } = await openFirst(engine);
    first.session['cart'] = ['book'];
    expect(first.commitSync(), 'a new session must be created').to.equal(false);
    await first.commit();
    const cookieHeader = cookieOfFirst();

    const emitted: string[][] = [];
    const reader = await engine.open({ cookieHeader, secure: false, setCookies: (values) => emitted.push(values) });
    expect(reader.session['cart']).to.deep.equal(['book']);
    expect(reader.commitSync()).to.equal(true);
    expect(emitted).to.deep.equal([]);
    expect(() => { reader.session['cart'] = []; }).to.throw(SessionDataError);

    const writer = await engine.open({ cookieHeader, secure: false, setCookies: () => undefined });
    (writer.session['cart'] as string[]).push('pen');
    expect(writer.commitSync(), 'an in-place change must be stored').to.equal(false);
    await writer.commit();
    const check = await engine.open({ cookieHeader, secure: false, setCookies: () => undefined });
    expect(check.session['cart']).to.deep.equal(['book', 'pen']);

    const withoutIndicator = await engine.open({ cookieHeader: cookieHeader.split('; ')[0], secure: false, setCookies: (values) => emitted.push(values) });
    expect(withoutIndicator.commitSync(), 'the indicator is re-issued without the store').to.equal(true);
    expect(emitted).to.have.length(1);
    expect(emitted[0]).to.have.length(2);
    store.close();
  });
});

describe('engine: requestSessionOf', () => {
  it('L1: finds the request session behind its session object, and nothing behind any other value', async () => {
    const store = new MemoryStore();
    const engine = engineOn(store);
    const request = await engine.open({ cookieHeader: undefined, secure: false, setCookies: () => undefined });
    expect(requestSessionOf(request.session)).to.equal(request);
    const other = await engine.open({ cookieHeader: undefined, secure: false, setCookies: () => undefined });
    expect(requestSessionOf(other.session)).to.equal(other);
    for (const value of [undefined, null, 42, 'sw.sid', {}, { ...request.session }, new Proxy({}, {})]) {
      expect(requestSessionOf(value), String(value)).to.equal(undefined);
    }
    // The key it is found by is not one of the session's keys or symbols.
    expect(Object.getOwnPropertySymbols(request.session)).to.deep.equal([]);
    store.close();
  });
});
