import { expect } from 'chai';
import { asLoaded, at, HOUR, liveRecord, MINUTE, newId, pastIdleRecord, seed, type CurrentStore } from './fixtures.js';

/** `replace` is login: create the new id and remove the live old one, atomically (SPEC T6, T8). */
export function describeReplaceTests(store: CurrentStore): void {
  describe('replace', () => {
    it('T6: replace moves the session to the new id and removes the old id', async () => {
      const t = Date.now();
      const oldId = await seed(store(), liveRecord({ cart: '["apple"]' }, t - MINUTE));
      const nextId = newId();
      const record = liveRecord({ cart: '["apple"]', userId: '"u1"' }, t);
      expect(await store().replace(oldId, nextId, record)).to.equal('created');
      expect(await store().load(nextId, at(t))).to.deep.equal(asLoaded(record, t, HOUR));
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await store().update(oldId, { set: { a: '1' }, unset: [] }), 'update of the old id').to.equal('missing');
    });

    it('T6: replace answers exists on a taken new id and leaves both records untouched', async () => {
      const t = Date.now();
      const oldRecord = liveRecord({ owner: '"old"' }, t);
      const takenRecord = liveRecord({ owner: '"taken"' }, t);
      const oldId = await seed(store(), oldRecord);
      const takenId = await seed(store(), takenRecord);
      expect(await store().replace(oldId, takenId, liveRecord({ owner: '"login"' }, t))).to.equal('exists');
      expect(await store().load(oldId, at(t)), 'the old id').to.deep.equal(asLoaded(oldRecord, t, HOUR));
      expect(await store().load(takenId, at(t)), 'the taken id').to.deep.equal(asLoaded(takenRecord, t, HOUR));
    });

    it('T6, T8: replace whose old id is gone (destroyed, expired or never created) answers missing and creates nothing', async () => {
      const t = Date.now();
      const destroyed = await seed(store(), liveRecord({ a: '1' }, t));
      await store().destroy(destroyed);
      const expired = await seed(store(), pastIdleRecord({ a: '1' }));
      for (const [label, oldId] of [['destroyed', destroyed], ['expired', expired], ['never created', newId()]] as const) {
        const target = newId();
        expect(await store().replace(oldId, target, liveRecord({ a: '2' }, t)), label).to.equal('missing');
        expect(await store().load(target, at(t)), label).to.equal(null);
      }
    });

    it('T6: of concurrent replaces onto one new id exactly one wins, and each loser keeps its old id', async () => {
      const t = Date.now();
      const oldIds = await Promise.all(Array.from({ length: 6 }, (_, n) => seed(store(), liveRecord({ n: String(n) }, t))));
      const target = newId();
      const results = await Promise.all(
        oldIds.map((oldId, n) => store().replace(oldId, target, liveRecord({ n: String(n), login: 'true' }, t))),
      );
      const winners = results.flatMap((result, n) => (result === 'created' ? [n] : []));
      expect(winners, `results: ${results.join(', ')}`).to.have.length(1);
      const winner = winners[0] ?? -1;
      expect((await store().load(target, at(t)))?.data).to.deep.equal({ n: String(winner), login: 'true' });
      for (const [n, oldId] of oldIds.entries()) {
        const loaded = await store().load(oldId, at(t));
        if (n === winner) expect(loaded, `the winner's old id`).to.equal(null);
        else expect(loaded?.data, `loser ${n}'s old id`).to.deep.equal({ n: String(n) });
      }
    });

    it('T6: replace stores a copy: changing the passed record afterwards changes nothing stored', async () => {
      const t = Date.now();
      const oldId = await seed(store(), liveRecord({}, t));
      const target = newId();
      const record = liveRecord({ a: '"1"' }, t);
      const expected = asLoaded(record, t, HOUR);
      expect(await store().replace(oldId, target, record)).to.equal('created');
      record.data.a = '"changed"';
      record.absoluteExpiresAt = t + 1;
      expect(await store().load(target, at(t))).to.deep.equal(expected);
    });
  });
}
