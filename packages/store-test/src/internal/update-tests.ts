import { expect } from 'chai';
import { at, liveRecord, loadLive, newId, pastAbsoluteRecord, pastIdleRecord, seed, type CurrentStore } from '../fixtures.js';

/** `update` merges per key and never resurrects (SPEC T4, T8). */
export function describeUpdateTests(store: CurrentStore): void {
  describe('update', () => {
    it('T8: update sets and unsets keys and leaves the other keys as they were', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord({ a: '"1"', b: '"2"', c: '"3"' }, t));
      expect(await store().update(id, { set: { a: '"one"', d: '"4"' }, unset: ['b', 'never-set'] })).to.equal('updated');
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ a: '"one"', c: '"3"', d: '"4"' });
    });

    it('T8: unsetting every key leaves a live session with empty data', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord({ a: '"1"', b: '"2"' }, t));
      expect(await store().update(id, { set: {}, unset: ['a', 'b'] })).to.equal('updated');
      expect((await loadLive(store(), id, at(t), 'a session whose keys were all unset')).data).to.deep.equal({});
      expect(await store().update(id, { set: { c: '"3"' }, unset: [] }), 'update of the emptied session').to.equal('updated');
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ c: '"3"' });
    });

    it('T4: update changes only data: createdAt and both deadlines stay as they were', async () => {
      const t = Date.now();
      const record = { ...liveRecord({ a: '"1"' }, t), expiresAt: t + 10_000 };
      const id = await seed(store(), record);
      expect(await store().update(id, { set: { a: '"2"' }, unset: [] })).to.equal('updated');
      const loaded = await loadLive(store(), id, at(t, 1_000));
      expect(loaded.createdAt).to.equal(record.createdAt);
      expect(loaded.absoluteExpiresAt).to.equal(record.absoluteExpiresAt);

      const other = await seed(store(), { ...liveRecord({}, t), expiresAt: t + 10_000 });
      expect(await store().update(other, { set: { a: '"2"' }, unset: [] })).to.equal('updated');
      expect(await store().load(other, at(t + 10_001)), 'load past the idle deadline set at create').to.equal(null);
    });

    it('T8: concurrent updates of different keys on one session both persist', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord({ base: '0' }, t));
      const results = await Promise.all([
        store().update(id, { set: { cart: '["apple"]' }, unset: [] }),
        store().update(id, { set: { theme: '"dark"' }, unset: [] }),
      ]);
      expect(results).to.deep.equal(['updated', 'updated']);
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ base: '0', cart: '["apple"]', theme: '"dark"' });
    });

    it('T8: a key unset by one concurrent update is not resurrected by another', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord({ flash: '"hello"', counter: '1' }, t));
      const results = await Promise.all([
        store().update(id, { set: {}, unset: ['flash'] }),
        store().update(id, { set: { counter: '2' }, unset: [] }),
      ]);
      expect(results).to.deep.equal(['updated', 'updated']);
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ counter: '2' });
    });

    it('T8: update of an id that was never created answers missing and creates nothing', async () => {
      const id = newId();
      expect(await store().update(id, { set: { a: '1' }, unset: [] })).to.equal('missing');
      expect(await store().load(id, at(Date.now()))).to.equal(null);
      expect(await store().create(id, liveRecord()), 'the id is still free').to.equal('created');
    });

    it('T8: update after destroy answers missing and does not resurrect the session', async () => {
      const id = await seed(store(), liveRecord({ a: '1' }));
      await store().destroy(id);
      expect(await store().update(id, { set: { a: '2', b: '3' }, unset: [] })).to.equal('missing');
      expect(await store().load(id, at(Date.now()))).to.equal(null);
    });

    it('T8: an update racing a destroy never resurrects the session, in either order', async () => {
      const first = await seed(store(), liveRecord({ a: '1' }));
      const second = await seed(store(), liveRecord({ a: '1' }));
      await Promise.all([store().update(first, { set: { b: '2' }, unset: [] }), store().destroy(first)]);
      await Promise.all([store().destroy(second), store().update(second, { set: { b: '2' }, unset: [] })]);
      expect(await store().load(first, at(Date.now())), 'update issued first').to.equal(null);
      expect(await store().load(second, at(Date.now())), 'destroy issued first').to.equal(null);
    });

    it('T8: update of a record past either deadline by the real clock answers missing and does not revive it', async () => {
      const idle = newId();
      const absolute = newId();
      await store().create(idle, pastIdleRecord({ a: '1' }));
      await store().create(absolute, pastAbsoluteRecord({ a: '1' }));
      expect(await store().update(idle, { set: { a: '2' }, unset: [] }), 'past the idle deadline').to.equal('missing');
      expect(await store().update(absolute, { set: { a: '2' }, unset: [] }), 'past the absolute deadline').to.equal('missing');
      expect(await store().load(idle, at(Date.now()))).to.equal(null);
      expect(await store().load(absolute, at(Date.now()))).to.equal(null);
    });
  });
}
