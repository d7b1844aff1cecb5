import { expect } from 'chai';
import { at, changesOf, DAY, HOUR, liveRecord, newId, seed, sleepUntilPast, withoutData, type CurrentStore } from '../fixtures.js';

/** How long the records of the one waiting test stay live, in real milliseconds. */
const SHORT_DEADLINE_MS = 50;

/** `create`, `update` and `replace` judge liveness by the real clock (SPEC T2, T5, T6, T8). */
export function describeDeadlineTests(store: CurrentStore): void {
  describe('real deadlines', () => {
    it('T2: once a real deadline passes, update answers missing and create and replace may take the id', async () => {
      const t = Date.now();
      const deadline = t + SHORT_DEADLINE_MS;
      const idleEnds = { ...liveRecord({ a: '"old"' }, t), expiresAt: deadline };
      const absoluteEnds = { ...liveRecord({ a: '"old"' }, t), expiresAt: t + HOUR, absoluteExpiresAt: deadline };
      const [updatedIdle, updatedAbsolute, createdOver, replacedOnto] = await Promise.all([
        seed(store(), idleEnds),
        seed(store(), absoluteEnds),
        seed(store(), idleEnds),
        seed(store(), idleEnds),
      ]);
      const replacedFrom = await seed(store(), liveRecord({ a: '"from"' }));
      await sleepUntilPast(deadline);

      const now = Date.now();
      expect(await store().update(updatedIdle, { set: { b: '1' }, unset: [] }), 'update past the idle deadline').to.equal('missing');
      expect(await store().update(updatedAbsolute, { set: { b: '1' }, unset: [] }), 'update past the absolute deadline').to.equal('missing');
      expect(await store().create(createdOver, liveRecord({ a: '"new"' }, now)), 'create over an expired record').to.equal('created');
      expect(await store().replace(replacedFrom, replacedOnto, withoutData(liveRecord({}, now)), changesOf({ a: '"new"' })), 'replace onto an expired record')
        .to.equal('created');

      expect(await store().load(updatedIdle, at(Date.now()))).to.equal(null);
      expect(await store().load(updatedAbsolute, at(Date.now()))).to.equal(null);
      expect((await store().load(createdOver, at(now)))?.data).to.deep.equal({ a: '"new"' });
      expect((await store().load(replacedOnto, at(now)))?.data).to.deep.equal({ a: '"new"' });
      expect(await store().load(replacedFrom, at(now))).to.equal(null);
    });

    it('T5: create over a record whose deadline passed by the real clock answers created and stores the new record', async () => {
      const id = newId();
      const t = Date.now();
      await store().create(id, { data: { a: '"old"' }, createdAt: t - 2 * DAY, lastSeenAt: t - 2 * HOUR, expiresAt: t - HOUR, absoluteExpiresAt: t - DAY + HOUR });
      expect(await store().create(id, liveRecord({ a: '"new"' }, t))).to.equal('created');
      expect((await store().load(id, at(t)))?.data).to.deep.equal({ a: '"new"' });
    });
  });
}
