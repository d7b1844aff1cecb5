import { expect } from 'chai';
import { asLoaded, at, changesOf, HOUR, liveRecord, MINUTE, newId, pastIdleRecord, seed, withoutData, type CurrentStore } from '../fixtures.js';

/** `replace` is login: create the new id and remove the live old one, atomically (SPEC T6, T8). */
export function describeReplaceTests(store: CurrentStore): void {
  describe('replace', () => {
    it('T6: replace moves the session to the new id, with the old data and the login\'s changes, and removes the old id', async () => {
      const t = Date.now();
      const oldId = await seed(store(), liveRecord({ cart: '["apple"]' }, t - MINUTE));
      const nextId = newId();
      const record = liveRecord({ cart: '["apple"]', userId: '"u1"' }, t);
      expect(await store().replace(oldId, nextId, withoutData(record), changesOf({ userId: '"u1"' }))).to.equal('created');
      expect(await store().load(nextId, at(t))).to.deep.equal(asLoaded(record, t, HOUR));
      expect(await store().load(oldId, at(t)), 'the old id').to.equal(null);
      expect(await store().update(oldId, { set: { a: '1' }, unset: [] }), 'update of the old id').to.equal('missing');
    });

    it('T6, T8: replace answers exists on a taken new id and writes nothing: the old record and the taken one are unchanged', async () => {
      const t = Date.now();
      const oldRecord = liveRecord({ owner: '"old"', kept: '1' }, t);
      const takenRecord = liveRecord({ owner: '"taken"', kept: '2' }, t);
      const oldId = await seed(store(), oldRecord);
      const takenId = await seed(store(), takenRecord);
      const changes = changesOf({ owner: '"login"', added: 'true' }, ['kept']);
      expect(await store().replace(oldId, takenId, withoutData(liveRecord({}, t + MINUTE)), changes)).to.equal('exists');
      expect(await store().load(oldId, at(t)), 'the old id').to.deep.equal(asLoaded(oldRecord, t, HOUR));
      expect(await store().load(takenId, at(t)), 'the taken id').to.deep.equal(asLoaded(takenRecord, t, HOUR));
    });

    it('T6, T8: replace whose old id is gone (destroyed, expired or never created) answers missing and leaves the new id free', async () => {
      const t = Date.now();
      const destroyed = await seed(store(), liveRecord({ a: '1' }, t));
      await store().destroy(destroyed);
      const expired = await seed(store(), pastIdleRecord({ a: '1' }));
      for (const [label, oldId] of [['destroyed', destroyed], ['expired', expired], ['never created', newId()]] as const) {
        const target = newId();
        expect(await store().replace(oldId, target, withoutData(liveRecord({}, t)), changesOf({ a: '2' })), label).to.equal('missing');
        expect(await store().load(target, at(t)), label).to.equal(null);
        expect(await store().update(target, { set: { b: '1' }, unset: [] }), `${label}: update of the new id`).to.equal('missing');
        expect(await store().create(target, liveRecord({ fresh: 'true' }, t)), `${label}: create of the new id`).to.equal('created');
        expect((await store().load(target, at(t)))?.data, label).to.deep.equal({ fresh: 'true' });
      }
    });

    it('T6: of concurrent replaces onto one new id exactly one wins, and each loser keeps its old id', async () => {
      const t = Date.now();
      const oldIds = await Promise.all(Array.from({ length: 6 }, (_, n) => seed(store(), liveRecord({ n: String(n) }, t))));
      const target = newId();
      const results = await Promise.all(
        oldIds.map((oldId) => store().replace(oldId, target, withoutData(liveRecord({}, t)), changesOf({ login: 'true' }))),
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

    it('T6: replace stores a copy: changing the passed session and changes afterwards changes nothing stored', async () => {
      const t = Date.now();
      const oldId = await seed(store(), liveRecord({}, t));
      const target = newId();
      const session = withoutData(liveRecord({}, t));
      const changes = changesOf({ a: '"1"' });
      const expected = asLoaded({ ...session, data: { a: '"1"' } }, t, HOUR);
      expect(await store().replace(oldId, target, session, changes)).to.equal('created');
      changes.set['a'] = '"changed"';
      changes.unset.push('a');
      session.absoluteExpiresAt = t + 1;
      expect(await store().load(target, at(t))).to.deep.equal(expected);
    });
  });
}
