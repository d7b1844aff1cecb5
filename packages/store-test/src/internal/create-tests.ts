import { expect } from 'chai';
import { asLoaded, at, HOUR, liveRecord, MINUTE, newId, seed, type CurrentStore } from '../fixtures.js';

/** `create` is create-if-absent (SPEC T5); `destroy` is idempotent. */
export function describeCreateTests(store: CurrentStore): void {
  describe('create and destroy', () => {
    it('T5: create never overwrites an existing record', async () => {
      const t = Date.now();
      const original = liveRecord({ owner: '"first"' }, t - MINUTE);
      const id = await seed(store(), original);
      const intruder = { ...liveRecord({ owner: '"second"', extra: '1' }, t), expiresAt: t + 2 * HOUR };
      expect(await store().create(id, intruder)).to.equal('exists');
      expect(await store().load(id, at(t - MINUTE))).to.deep.equal(asLoaded(original, t - MINUTE, HOUR));
    });

    it('T5: of concurrent creates of one id exactly one answers created, and its record is kept', async () => {
      const id = newId();
      const t = Date.now();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) => store().create(id, liveRecord({ n: String(n) }, t))),
      );
      const winners = results.flatMap((result, n) => (result === 'created' ? [n] : []));
      expect(winners, `results: ${results.join(', ')}`).to.have.length(1);
      expect(results.filter((result) => result === 'exists')).to.have.length(9);
      expect((await store().load(id, at(t)))?.data).to.deep.equal({ n: String(winners[0]) });
    });

    it('T9: a record with no data keys is stored and loaded', async () => {
      const t = Date.now();
      const record = liveRecord({}, t);
      const id = await seed(store(), record);
      expect(await store().load(id, at(t))).to.deep.equal(asLoaded(record, t, HOUR));
      expect(await store().create(id, liveRecord({ a: '1' }, t)), 'an empty record still takes its id').to.equal('exists');
    });

    it('T9: destroy removes the record: load answers null and update answers missing', async () => {
      const id = await seed(store(), liveRecord({ a: '1' }));
      await store().destroy(id);
      expect(await store().load(id, at(Date.now()))).to.equal(null);
      expect(await store().update(id, { set: { b: '2' }, unset: [] })).to.equal('missing');
    });

    it('T9: destroy removes only its own record', async () => {
      const t = Date.now();
      const kept = await seed(store(), liveRecord({ a: '"kept"' }, t));
      const gone = await seed(store(), liveRecord({ a: '"gone"' }, t));
      await store().destroy(gone);
      expect((await store().load(kept, at(t)))?.data).to.deep.equal({ a: '"kept"' });
    });

    it('T9: destroy of a missing id, or of one id twice, resolves without error', async () => {
      expect(await store().destroy(newId())).to.equal(undefined);
      const id = await seed(store());
      await store().destroy(id);
      expect(await store().destroy(id)).to.equal(undefined);
      expect(await store().load(id, at(Date.now()))).to.equal(null);
    });
  });
}
