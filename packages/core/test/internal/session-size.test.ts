import { expect } from 'chai';
import { SessionDataError } from '../../src/errors.js';
import { SessionDataTracker } from '../../src/internal/session-data.js';
import { checkRecordSize, checkUpdateSize, dataBytes } from '../../src/internal/session-size.js';
import { thrownBy } from '../support/errors.js';

function loaded(data: Record<string, unknown>): SessionDataTracker {
  const tracker = new SessionDataTracker();
  tracker.load(Object.fromEntries(Object.entries(data).map(([key, value]) => [key, JSON.stringify(value)])));
  return tracker;
}

function set(tracker: SessionDataTracker, key: string, value: unknown): void {
  if (value === undefined) delete tracker.values[key];
  else tracker.values[key] = value;
  tracker.touch(key);
}

describe('internal/session-size: the maxSessionBytes rule', () => {
  it('T10: the size is the sum of the UTF-8 bytes of each key and its JSON text', () => {
    expect(dataBytes({})).to.equal(0);
    expect(dataBytes({ a: '1' })).to.equal(2);
    expect(dataBytes({ a: '"é"' }), 'é is two bytes').to.equal(1 + 4);
    expect(dataBytes({ 日本: '"😀"' }), 'three bytes per ideograph, four for the emoji').to.equal(6 + 6);
    expect(dataBytes({ a: '1', bb: '[1,2]' })).to.equal(2 + 2 + 5);
  });

  it('T10: storedSize counts the loaded baseline; sizeAfter adds set keys, replaces changed texts, drops unset keys', () => {
    const tracker = loaded({ a: 1, b: 'xy' });
    expect(tracker.storedSize()).to.equal(2 + 5);
    expect(tracker.sizeAfter({ set: { a: '22' }, unset: [] })).to.equal(7 + 1);
    expect(tracker.sizeAfter({ set: { c: '"é"' }, unset: [] })).to.equal(7 + 5);
    expect(tracker.sizeAfter({ set: {}, unset: ['b'] })).to.equal(2);
    expect(tracker.sizeAfter({ set: {}, unset: ['never-stored'] })).to.equal(7);
  });

  it('T10: the kept size follows every committed change, equal to counting the data again', () => {
    const tracker = loaded({ a: 1 });
    expect(tracker.storedSize()).to.equal(2);
    const steps: Array<[string, unknown]> = [['b', 'hello'], ['a', { deep: ['é'] }], ['b', undefined], ['ü', 12345], ['a', undefined], ['c', []]];
    for (const [key, value] of steps) {
      set(tracker, key, value);
      const changes = tracker.changes();
      tracker.committedChanges(changes);
      expect(tracker.storedSize(), `after ${key}`).to.equal(dataBytes(tracker.snapshot()));
    }
    tracker.committedAll(tracker.snapshot());
    expect(tracker.storedSize()).to.equal(dataBytes(tracker.snapshot()));
    tracker.clear();
    expect(tracker.storedSize()).to.equal(0);
  });

  it('T10: an update that reaches the cap exactly is allowed; one byte more is refused with 413 naming the option and the cap', () => {
    const tracker = loaded({ a: 1 });
    expect(() => checkUpdateSize(tracker, { set: { b: '"secret-value"' }, unset: [] }, 2 + 1 + 14)).to.not.throw();
    const error = thrownBy(() => checkUpdateSize(tracker, { set: { b: '"secret-value"' }, unset: [] }, 2 + 1 + 13));
    expect(error).to.be.instanceOf(SessionDataError);
    expect(error).to.include({ code: 'ERR_SESSION_DATA', status: 413, statusCode: 413, expose: true });
    expect((error as Error).message).to.equal('session data is too large: the change would take the session past maxSessionBytes (16 bytes)');
  });

  it('T10: a session already past the cap may shrink or keep its size, but not grow', () => {
    const tracker = loaded({ big: 'x'.repeat(50), small: 1 });
    const cap = 20;
    expect(tracker.storedSize()).to.be.above(cap);
    expect(() => checkUpdateSize(tracker, { set: { big: '"shorter"' }, unset: [] }, cap), 'shrinks, still past the cap').to.not.throw();
    expect(() => checkUpdateSize(tracker, { set: {}, unset: ['big'] }, cap)).to.not.throw();
    expect(() => checkUpdateSize(tracker, { set: { small: '2' }, unset: [] }, cap), 'same size').to.not.throw();
    expect(() => checkUpdateSize(tracker, { set: { small: '22' }, unset: [] }, cap)).to.throw(SessionDataError, 'maxSessionBytes');
  });

  it('T10: a whole new record past the cap is refused; a record no larger than the stored session is allowed', () => {
    const fresh = new SessionDataTracker();
    set(fresh, 'a', 'x'.repeat(10));
    expect(() => checkRecordSize(fresh, fresh.snapshot(), 13)).to.not.throw();
    expect(() => checkRecordSize(fresh, fresh.snapshot(), 12)).to.throw(SessionDataError).with.property('status', 413);
    const stored = loaded({ a: 'x'.repeat(30) });
    expect(() => checkRecordSize(stored, stored.snapshot(), 10), 'a login carrying a session stored before the cap was lowered').to.not.throw();
    set(stored, 'b', 1);
    expect(() => checkRecordSize(stored, stored.snapshot(), 10)).to.throw(SessionDataError);
  });

  it('T10: other SessionDataErrors keep status 500', () => {
    expect(new SessionDataError('x')).to.include({ status: 500, expose: false });
    expect(new SessionDataError('x', { status: 413 })).to.include({ status: 413, expose: true });
  });
});
