import { expect } from 'chai';
import { SessionDataError } from '../../src/errors.js';
import { SessionDataTracker } from '../../src/internal/session-data.js';

const NOTHING = { set: {}, unset: [] };

function loaded(data: Record<string, unknown>): SessionDataTracker {
  const tracker = new SessionDataTracker();
  tracker.load(Object.fromEntries(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)])));
  return tracker;
}

describe('internal/session-data: SessionDataTracker', () => {
  it('T4: a loaded, untouched session has no changes', () => {
    const tracker = loaded({ a: 1, cart: ['x'] });
    expect(tracker.values).to.deep.include({ a: 1, cart: ['x'] });
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  it('T4: only the changed key is written, as its JSON text', () => {
    const tracker = loaded({ a: 1, b: 2 });
    tracker.values['a'] = 5;
    tracker.touch('a');
    expect(tracker.changes()).to.deep.equal({ set: { a: '5' }, unset: [] });
  });

  it('T4: a key set to the value it already had is not written', () => {
    const tracker = loaded({ a: 1, user: { name: 'x' } });
    tracker.values['a'] = 1;
    tracker.values['user'] = { name: 'x' };
    tracker.touch('a');
    tracker.touch('user');
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  it('T4: a nested in-place mutation is detected when the key was touched', () => {
    const tracker = loaded({ cart: ['x'], other: { n: 1 } });
    tracker.touch('cart'); // what the session proxy does when it hands out an object
    (tracker.values['cart'] as string[]).push('y');
    expect(tracker.changes()).to.deep.equal({ set: { cart: '["x","y"]' }, unset: [] });
  });

  it('T4: untouched keys are not compared, so an in-place change without a touch is not seen', () => {
    // This pins the cost model: only touched keys are serialised at commit.
    const tracker = loaded({ cart: ['x'] });
    (tracker.values['cart'] as string[]).push('y');
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  it('T4: untouched keys are never serialised, even when they could not be', () => {
    const tracker = loaded({ a: 1 });
    tracker.values['b'] = 2;
    tracker.touch('b');
    Object.defineProperty(tracker.values, 'bomb', {
      enumerable: true,
      get() {
        throw new Error('an untouched key was read');
      },
    });
    expect(tracker.changes()).to.deep.equal({ set: { b: '2' }, unset: [] });
  });

  it('T4: a deleted key is unset', () => {
    const tracker = loaded({ a: 1, b: 2 });
    delete tracker.values['a'];
    tracker.touch('a');
    expect(tracker.changes()).to.deep.equal({ set: {}, unset: ['a'] });
  });

  it('T4: a key set to undefined is unset, like a deleted one', () => {
    const tracker = loaded({ a: 1 });
    tracker.values['a'] = undefined;
    tracker.touch('a');
    expect(tracker.changes()).to.deep.equal({ set: {}, unset: ['a'] });
  });

  it('T4: a key added and deleted in the same request writes nothing', () => {
    const tracker = loaded({});
    tracker.values['tmp'] = 1;
    tracker.touch('tmp');
    delete tracker.values['tmp'];
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  const unserialisable: Array<[string, () => unknown]> = [
    ['a function', () => () => 1],
    ['a symbol', () => Symbol('s')],
    ['a BigInt', () => 10n],
    ['a circular object', () => {
      const node: Record<string, unknown> = {};
      node['self'] = node;
      return node;
    }],
    ['an object whose toJSON throws', () => ({ toJSON: () => { throw new Error('nope'); } })],
  ];
  for (const [what, make] of unserialisable) {
    it(`T4, O2: ${what} throws a SessionDataError naming the key, at changes() and snapshot()`, () => {
      const tracker = loaded({});
      tracker.values['bad'] = make();
      tracker.touch('bad');
      expect(() => tracker.changes()).to.throw(SessionDataError, 'session key "bad" is not JSON')
        .with.property('code', 'ERR_SESSION_DATA');
      expect(() => tracker.snapshot()).to.throw(SessionDataError, '"bad"');
    });
  }

  it('T4: after committedChanges the committed values are the new baseline', () => {
    const tracker = loaded({ a: 1, b: 2 });
    tracker.values['a'] = 3;
    delete tracker.values['b'];
    tracker.touch('a');
    tracker.touch('b');
    const changes = tracker.changes();
    expect(changes).to.deep.equal({ set: { a: '3' }, unset: ['b'] });
    tracker.committedChanges(changes);
    expect(tracker.changes()).to.deep.equal(NOTHING);
    tracker.values['b'] = 2;
    tracker.touch('b');
    expect(tracker.changes()).to.deep.equal({ set: { b: '2' }, unset: [] });
  });

  it('T4, T5: snapshot serialises every key with a value; committedAll makes it the baseline', () => {
    const tracker = new SessionDataTracker();
    expect(tracker.empty).to.equal(true);
    tracker.values['a'] = { n: 1 };
    tracker.values['gone'] = undefined;
    tracker.touch('a');
    expect(tracker.empty).to.equal(false);
    const snapshot = tracker.snapshot();
    expect(snapshot).to.deep.equal({ a: '{"n":1}' });
    tracker.committedAll(snapshot);
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  it('T4: a stored value that is not valid JSON is dropped and removed at the next commit', () => {
    const tracker = new SessionDataTracker();
    tracker.load({ ok: '1', broken: '{not json' });
    expect(tracker.values).to.deep.equal(Object.assign(Object.create(null), { ok: 1 }));
    expect(tracker.changes()).to.deep.equal({ set: {}, unset: ['broken'] });
  });

  it('T6: clear empties the data and forgets the baseline', () => {
    const tracker = loaded({ a: 1 });
    tracker.clear();
    expect(Object.keys(tracker.values)).to.deep.equal([]);
    expect(tracker.empty).to.equal(true);
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });

  it('F3: a stored __proto__ key is plain data on the null-prototype values object, polluting nothing', () => {
    const tracker = new SessionDataTracker();
    const stored = JSON.parse('{"__proto__":"{\\"polluted\\":true}","constructor":"\\"x\\""}') as Record<string, string>;
    expect(Object.keys(stored)).to.deep.equal(['__proto__', 'constructor']);
    tracker.load(stored);
    expect(Object.getPrototypeOf(tracker.values)).to.equal(null);
    expect(Object.getOwnPropertyDescriptor(tracker.values, '__proto__')?.value).to.deep.equal({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(tracker.values['constructor']).to.equal('x');
    expect(tracker.changes()).to.deep.equal(NOTHING);
  });
});
