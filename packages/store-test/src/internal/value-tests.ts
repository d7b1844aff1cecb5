import { expect } from 'chai';
import { at, liveRecord, loadLive, seed, type CurrentStore } from '../fixtures.js';

/**
 * Values are opaque JSON texts: a store keeps them byte for byte and never parses or
 * re-serialises them (each of these would change under `JSON.stringify(JSON.parse(v))`,
 * or under a lossy encoding).
 */
const VALUES: Record<string, string> = {
  empty: '""',
  unicode: '"héllo wörld — 日本語 — 🎉👩‍💻"',
  escapes: '"quote \\" backslash \\\\ nul \\u0000 lone \\ud800 tab \\t"',
  separators: '"line\u2028para\u2029end"',
  number: '42',
  decimal: '1.0',
  exponent: '1e3',
  padded: '  "padded"  ',
  multiline: '{\n  "b": 1,\n  "a": [2, 3]\n}',
  keyOrder: '{"b":1,"a":2}',
  nullText: 'null',
  boolean: 'true',
};

/** Keys that trip stores built on plain objects or on separator-joined names. */
const ODD_KEYS = ['constructor', 'toString', 'hasOwnProperty', 'a.b', 'a:b', 'with space', 'ключ', '🔑'];

/** About 10 kB of UTF-8 with multi-byte characters, as one JSON string. */
const LARGE_VALUE = JSON.stringify('é😀 session data '.repeat(500));

/** Values and keys are stored verbatim (SPEC T4). */
export function describeValueTests(store: CurrentStore): void {
  describe('values', () => {
    it('T4: values are opaque strings stored verbatim by create and by update', async () => {
      const t = Date.now();
      const id = await seed(store(), liveRecord(VALUES, t));
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal(VALUES);

      const other = await seed(store(), liveRecord({}, t));
      expect(await store().update(other, { set: VALUES, unset: [] })).to.equal('updated');
      expect((await loadLive(store(), other, at(t))).data).to.deep.equal(VALUES);
    });

    it('T4: keys are stored verbatim, including names of Object.prototype members and separators', async () => {
      const t = Date.now();
      const data = Object.fromEntries(ODD_KEYS.map((key, n) => [key, String(n)]));
      const id = await seed(store(), liveRecord(data, t));
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal(data);
      expect(await store().update(id, { set: { constructor: '"set"' }, unset: ['toString', 'a.b'] })).to.equal('updated');
      const { toString: _t, 'a.b': _ab, ...rest } = data;
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ ...rest, constructor: '"set"' });
    });

    it('T4: a value of about 10 kB is stored verbatim by create and by update', async () => {
      expect(Buffer.byteLength(LARGE_VALUE)).to.be.above(10_000);
      const t = Date.now();
      const id = await seed(store(), liveRecord({ big: LARGE_VALUE, small: '1' }, t));
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ big: LARGE_VALUE, small: '1' });
      const changed = LARGE_VALUE.replace('é', 'e');
      expect(await store().update(id, { set: { big: changed, other: LARGE_VALUE }, unset: [] })).to.equal('updated');
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal({ big: changed, small: '1', other: LARGE_VALUE });
    });

    it('T4: a session with 200 keys round-trips', async () => {
      const t = Date.now();
      const data = Object.fromEntries(Array.from({ length: 200 }, (_, n) => [`key${n}`, JSON.stringify({ n })]));
      const id = await seed(store(), liveRecord(data, t));
      expect((await loadLive(store(), id, at(t))).data).to.deep.equal(data);
    });
  });
}
