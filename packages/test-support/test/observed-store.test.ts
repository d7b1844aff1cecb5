// The gates races wait on (STYLE: no sleeps where an event can be awaited): ObservedStore's
// pause(method) and reached(method), on a real MemoryStore.
import { expect } from 'chai';
import { MemoryStore } from '@sessionware/core';
import { ObservedStore } from '../src/observed-store.js';

const now = Date.now();
const record = { data: { a: '1' }, createdAt: now, lastSeenAt: now, expiresAt: now + 60_000, absoluteExpiresAt: now + 120_000 };

describe('test-support: ObservedStore gates', () => {
  const inners: MemoryStore[] = [];
  const observed = (): ObservedStore => {
    const inner = new MemoryStore();
    inners.push(inner);
    return new ObservedStore(inner);
  };
  afterEach(() => {
    for (const inner of inners.splice(0)) inner.close();
  });

  it('reached(method) settles when the next call of that method arrives, and the call runs on', async () => {
    const store = observed();
    let settled = false;
    const reached = store.reached('create').then(() => {
      settled = true;
    });
    await store.destroy('other');
    await Promise.resolve();
    expect(settled, 'another method does not settle it').to.equal(false);
    expect(await store.create('id', record)).to.equal('created');
    await reached;
    expect(settled).to.equal(true);
  });

  it('pause(method) holds its calls at the gate until release(): reached settles first, the call answers after', async () => {
    const store = observed();
    const gate = store.pause('create');
    const order: string[] = [];
    const call = store.create('id', record).then((answer) => order.push(`answered ${answer}`));
    await gate.reached;
    order.push('reached');
    expect(await store.load('id', { now, idleTimeoutMs: 60_000 }), 'not stored while held').to.equal(null);
    gate.release();
    await call;
    expect(order).to.deep.equal(['reached', 'answered created']);
    expect(await store.create('id2', record), 'a released gate lets later calls through').to.equal('created');
  });

  it('releaseAll() lets every held call finish', async () => {
    const store = observed();
    const create = store.pause('create');
    const destroy = store.pause('destroy');
    const calls = Promise.all([store.create('id', record), store.destroy('other')]);
    await Promise.all([create.reached, destroy.reached]);
    store.releaseAll();
    expect(await calls).to.deep.equal(['created', undefined]);
  });
});
