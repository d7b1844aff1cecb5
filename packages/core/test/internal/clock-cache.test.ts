import { expect } from 'chai';
import { ClockCache } from '../../src/internal/clock-cache.js';

describe('internal/clock-cache: ClockCache', () => {
  it('K5: stores and returns values; unknown keys are undefined', () => {
    const cache = new ClockCache<string, number>(3);
    cache.set('a', 1);
    expect(cache.get('a')).to.equal(1);
    expect(cache.get('b')).to.equal(undefined);
  });

  it('K5: never holds more than its bound, forgetting the oldest entry first', () => {
    const cache = new ClockCache<string, number>(3);
    for (let i = 0; i < 10; i += 1) cache.set(`k${i}`, i);
    expect(cache.size).to.equal(3);
    expect(cache.get('k6')).to.equal(undefined);
    expect([cache.get('k7'), cache.get('k8'), cache.get('k9')]).to.deep.equal([7, 8, 9]);
  });

  it('K5: a get makes the entry the most recently used, so it outlives newer entries', () => {
    const cache = new ClockCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('a')).to.equal(1);
    expect(cache.get('b')).to.equal(undefined);
    expect(cache.get('c')).to.equal(3);
  });

  it('K5: setting an existing key replaces its value, refreshes it and does not grow the cache', () => {
    const cache = new ClockCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    expect(cache.size).to.equal(2);
    cache.set('c', 3);
    expect(cache.get('a')).to.equal(10);
    expect(cache.get('b')).to.equal(undefined);
  });

  it('K5: a bound of 0 stores nothing', () => {
    const cache = new ClockCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.size).to.equal(0);
    expect(cache.get('a')).to.equal(undefined);
  });
});
