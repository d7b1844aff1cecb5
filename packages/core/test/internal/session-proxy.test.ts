import { expect } from 'chai';
import { SessionDataError, SessionStoreError } from '../../src/errors.js';
import { SessionDataTracker } from '../../src/internal/session-data.js';
import { controlsOf, createSessionProxy, type SessionControls } from '../../src/internal/session-proxy.js';
import { RESERVED_SESSION_KEYS, type Session } from '../../src/session.js';

/** A proxy over stored `data`, with controls that record what was asked of them and fail or seal on demand. */
function proxyOver(data: Record<string, unknown> = {}, settings: { failure?: Error; sealed?: boolean } = {}) {
  const tracker = new SessionDataTracker();
  tracker.load(Object.fromEntries(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)])));
  const asked: string[] = [];
  const controls: SessionControls = {
    throwIfOpenFailed: () => {
      asked.push('throwIfOpenFailed');
      if (settings.failure !== undefined) throw settings.failure;
    },
    throwIfSealed: () => {
      asked.push('throwIfSealed');
      if (settings.sealed === true) throw new SessionDataError('sealed');
    },
    mayChange: () => {
      asked.push('mayChange');
      return settings.sealed !== true;
    },
    member: (key) => {
      asked.push(`member ${key}`);
      return `the ${key} member`;
    },
  };
  return { session: createSessionProxy(tracker, controls), tracker, asked, controls };
}

describe('internal: session proxy', () => {
  it('T4: setting a key stores it and marks it for the commit, after asking whether the session may change', () => {
    const { session, tracker, asked } = proxyOver({ a: 1 });
    session['b'] = { x: 1 };
    expect(tracker.changes()).to.deep.equal({ set: { b: '{"x":1}' }, unset: [] });
    expect(asked).to.deep.equal(['throwIfOpenFailed', 'throwIfSealed']);
  });

  it('T4: deleting a stored key marks it for removal', () => {
    const { session, tracker, asked } = proxyOver({ a: 1, b: 2 });
    delete session['a'];
    expect(tracker.changes()).to.deep.equal({ set: {}, unset: ['a'] });
    expect(asked).to.deep.equal(['throwIfOpenFailed', 'throwIfSealed']);
    expect({ ...session }).to.deep.equal({ b: 2 });
  });

  it('T4, T7: an object read is marked (it may change in place) and asks for the hold; a change made in place is then written', () => {
    const { session, tracker, asked } = proxyOver({ cart: ['book'], n: 1 });
    (session['cart'] as string[]).push('pen');
    expect(asked).to.deep.equal(['throwIfOpenFailed', 'mayChange']);
    expect(tracker.changes()).to.deep.equal({ set: { cart: '["book","pen"]' }, unset: [] });
  });

  it('T4: a primitive read marks nothing and asks for no hold', () => {
    const { session, tracker, asked } = proxyOver({ n: 1 });
    expect(session['n']).to.equal(1);
    expect(asked).to.deep.equal(['throwIfOpenFailed']);
    expect(tracker.unchanged()).to.equal(true);
  });

  for (const key of RESERVED_SESSION_KEYS) {
    it(`R4: setting the reserved name ${key} throws a SessionDataError naming it and stores nothing`, () => {
      const { session, tracker } = proxyOver();
      expect(() => { (session as Record<string, unknown>)[key] = 1; }).to.throw(SessionDataError, JSON.stringify(key));
      expect(() => Object.defineProperty(session, key, { value: 1, enumerable: true, configurable: true, writable: true })).to.throw(SessionDataError);
      expect(tracker.changes()).to.deep.equal({ set: {}, unset: [] });
    });
  }

  it('R4: reading a reserved name answers the session\'s member, without touching the data', () => {
    const { session, asked } = proxyOver();
    expect(session.save).to.equal('the save member');
    expect(session.userId).to.equal('the userId member');
    expect(asked).to.deep.equal(['member save', 'member userId']);
  });

  it('R4: __proto__ is inert: it reads as undefined, never as a member or a prototype', () => {
    const { session, asked } = proxyOver();
    expect((session as Record<string, unknown>)['__proto__']).to.equal(undefined);
    expect(asked).to.deep.equal(['throwIfOpenFailed']);
  });

  it('T4: enumerating the session gives its data keys only, not the members', () => {
    const { session } = proxyOver({ a: 1, b: [2] });
    expect(Object.keys(session)).to.deep.equal(['a', 'b']);
    expect(JSON.parse(JSON.stringify(session))).to.deep.equal({ a: 1, b: [2] });
    expect('a' in session).to.equal(true);
    expect('save' in session).to.equal(false);
  });

  describe('after a failed open (F1, F4)', () => {
    const failure = new SessionStoreError('load', 'no answer');
    const uses: Array<[string, (session: Session) => unknown]> = [
      ['a read', (session) => session['a']],
      ['a set', (session) => { session['a'] = 2; }],
      ['a delete', (session) => delete session['a']],
      ['an in test', (session) => 'a' in session],
      ['Object.keys', (session) => Object.keys(session)],
      ['a spread', (session) => ({ ...session })],
      ['JSON.stringify', (session) => JSON.stringify(session)],
      ['a descriptor read', (session) => Object.getOwnPropertyDescriptor(session, 'a')],
      ['a defineProperty', (session) => Object.defineProperty(session, 'a', { value: 2 })],
    ];
    for (const [use, call] of uses) {
      it(`${use} throws the open failure itself, and changes nothing`, () => {
        const { session, tracker } = proxyOver({ a: 1 }, { failure });
        expect(() => call(session)).to.throw(failure);
        expect(tracker.values['a']).to.equal(1);
        expect(tracker.changes()).to.deep.equal({ set: {}, unset: [] });
      });
    }
  });

  it('T7: once sealed, a set or delete throws and changes nothing; a read still answers', () => {
    const { session, tracker } = proxyOver({ a: 1, cart: ['book'] }, { sealed: true });
    expect(() => { session['a'] = 2; }).to.throw(SessionDataError, 'sealed');
    expect(() => delete session['a']).to.throw(SessionDataError);
    expect([session['a'], session['cart']]).to.deep.equal([1, ['book']]);
    expect(tracker.changes()).to.deep.equal({ set: {}, unset: [] });
  });

  it('symbol keys are ignored: they read as undefined, are never stored, and ask nothing, even after a failed open', () => {
    const { session, tracker, asked } = proxyOver({ a: 1 }, { failure: new SessionStoreError('load', 'down') });
    const symbol = Symbol('app');
    expect(Reflect.get(session, symbol)).to.equal(undefined);
    expect(Reflect.set(session, symbol, 1)).to.equal(false);
    expect(Reflect.defineProperty(session, symbol, { value: 1 })).to.equal(false);
    expect(Reflect.deleteProperty(session, symbol)).to.equal(false);
    expect(symbol in session).to.equal(false);
    expect(Object.getOwnPropertySymbols(tracker.values)).to.deep.equal([]);
    expect(asked).to.deep.equal([]);
  });

  describe('JSON-only values (O2)', () => {
    const refused: Array<[string, () => unknown, string]> = [
      ['a Date', () => new Date(0), 'when is a Date'],
      ['a Map', () => new Map(), 'when is a Map'],
      ['a function', () => () => 1, 'when is a function'],
      ['NaN', () => Number.NaN, 'when is NaN'],
      ['a BigInt', () => 1n, 'when is a BigInt'],
      ['a nested Date', () => ({ cart: [1, 2, { at: new Date(0) }] }), 'when.cart[2].at is a Date'],
    ];
    for (const [what, make, path] of refused) {
      it(`O2: assigning ${what} throws a SessionDataError at the assignment, naming the key and path; nothing is kept or marked`, () => {
        const { session, tracker } = proxyOver({ when: 'before' });
        expect(() => { session['when'] = make(); }).to.throw(SessionDataError, `session key "when" is not JSON: ${path}`);
        expect(tracker.values['when']).to.equal('before');
        expect(tracker.changes()).to.deep.equal({ set: {}, unset: [] });
      });

      it(`O2: defining ${what} with Object.defineProperty throws the same way`, () => {
        const { session, tracker } = proxyOver();
        expect(() => Object.defineProperty(session, 'when', { value: make(), enumerable: true, configurable: true, writable: true }))
          .to.throw(SessionDataError, `session key "when" is not JSON: ${path}`);
        expect('when' in tracker.values).to.equal(false);
      });
    }

    it('O2: defining a getter on the session throws, without calling it', () => {
      const { session, tracker } = proxyOver();
      let calls = 0;
      expect(() => Object.defineProperty(session, 'when', { get: () => { calls += 1; return 1; }, enumerable: true, configurable: true }))
        .to.throw(SessionDataError, 'session key "when" is not JSON: when is a getter or setter');
      expect(calls).to.equal(0);
      expect('when' in tracker.values).to.equal(false);
    });

    it('O2, T4: assigning undefined to a key is allowed and deletes it at the commit', () => {
      const { session, tracker } = proxyOver({ a: 1, b: 2 });
      session['a'] = undefined;
      expect(tracker.changes()).to.deep.equal({ set: {}, unset: ['a'] });
    });

    it('O2: JSON values are accepted at the assignment and stored as their JSON text', () => {
      const { session, tracker } = proxyOver();
      session['v'] = { s: 'x', n: 1.5, b: false, z: null, list: [1, 'two', [3]] };
      expect(tracker.changes()).to.deep.equal({ set: { v: '{"s":"x","n":1.5,"b":false,"z":null,"list":[1,"two",[3]]}' }, unset: [] });
    });

    it('O2: Object.assign onto the session checks each key as an assignment', () => {
      const { session, tracker } = proxyOver();
      expect(() => Object.assign(session, { ok: 1, when: new Date(0) })).to.throw(SessionDataError, 'session key "when"');
      expect(tracker.changes()).to.deep.equal({ set: { ok: '1' }, unset: [] });
    });
  });

  it('L1: controlsOf finds the controls behind a session proxy, and nothing behind any other value', () => {
    const { session, controls } = proxyOver();
    expect(controlsOf(session)).to.equal(controls);
    const impostor = { [Symbol('sessionware.controls')]: controls };
    for (const other of [{}, impostor, new Proxy({}, {}), null, undefined, 'session', 1]) expect(controlsOf(other)).to.equal(undefined);
  });
});
