// MemoryStore beyond the shared Store contract (SPEC T9): bounded memory, the sweep, its options.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { SessionConfigError } from '../src/errors.js';
import type { MemoryStoreOptions } from '../src/memory-store.js';
import type { StoredSession } from '../src/store.js';
import { DAY, HOUR, newId, record, useMemoryStores } from './support/memory-store.js';

/** The repository root, where `@sessionware/core` resolves from source. */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Past its idle deadline by the real clock, absolute deadline still ahead. */
function pastIdle(t: number): StoredSession {
  return { data: {}, createdAt: t - 2 * HOUR, lastSeenAt: t - 2 * HOUR, expiresAt: t - HOUR, absoluteExpiresAt: t + DAY };
}

/** Past its absolute deadline by the real clock, idle deadline still ahead. */
function pastAbsolute(t: number): StoredSession {
  return { data: {}, createdAt: t - 2 * DAY, lastSeenAt: t - 1_000, expiresAt: t + HOUR, absoluteExpiresAt: t - DAY };
}

describe('MemoryStore', () => {
  const memoryStore = useMemoryStores();

  describe('maxSessions', () => {
    it('T9: a full store evicts the least recently loaded session to create a new one', async () => {
      const store = memoryStore({ maxSessions: 3 });
      const t = Date.now();
      const [a, b, c, d] = [newId(), newId(), newId(), newId()];
      for (const id of [a, b, c]) expect(await store.create(id, record({}, t))).to.equal('created');
      expect(await store.load(a, { now: t, idleTimeoutMs: HOUR }), 'a, loaded last').to.not.equal(null);
      expect(await store.create(d, record({}, t))).to.equal('created');
      expect(store.size).to.equal(3);
      expect(await store.load(b, { now: t, idleTimeoutMs: HOUR }), 'b, the least recently used').to.equal(null);
      for (const id of [a, c, d]) expect(await store.load(id, { now: t, idleTimeoutMs: HOUR })).to.not.equal(null);
    });

    it('T9: the store never holds more than maxSessions records', async () => {
      const store = memoryStore({ maxSessions: 5 });
      const t = Date.now();
      const ids = Array.from({ length: 20 }, () => newId());
      for (const id of ids) expect(await store.create(id, record({}, t))).to.equal('created');
      expect(store.size).to.equal(5);
      const kept = await Promise.all(ids.map((id) => store.load(id, { now: t, idleTimeoutMs: HOUR })));
      expect(kept.map((session) => session !== null)).to.deep.equal([...Array(15).fill(false), ...Array(5).fill(true)]);
    });

    it('T9: a full store drops expired records before it evicts a live one', async () => {
      const store = memoryStore({ maxSessions: 3 });
      const t = Date.now();
      const [idle, absolute, kept, added] = [newId(), newId(), newId(), newId()];
      await store.create(idle, pastIdle(t));
      await store.create(absolute, pastAbsolute(t));
      expect(await store.create(kept, record({}, t))).to.equal('created');
      expect(await store.create(added, record({}, t))).to.equal('created');
      expect(store.size).to.equal(2);
      expect(await store.load(kept, { now: t, idleTimeoutMs: HOUR }), 'the oldest live session').to.not.equal(null);
      expect(await store.load(added, { now: t, idleTimeoutMs: HOUR })).to.not.equal(null);
    });

    it('T6: replace in a full store reuses the old id\'s place instead of evicting another session', async () => {
      const store = memoryStore({ maxSessions: 2 });
      const t = Date.now();
      const [a, b, c] = [newId(), newId(), newId()];
      await store.create(a, record({}, t));
      await store.create(b, record({}, t));
      expect(await store.replace(b, c, record({}, t), { set: {}, unset: [] })).to.equal('created');
      expect(store.size).to.equal(2);
      expect(await store.load(a, { now: t, idleTimeoutMs: HOUR }), 'the other, older session').to.not.equal(null);
      expect(await store.load(c, { now: t, idleTimeoutMs: HOUR })).to.not.equal(null);
    });
  });

  describe('sweep', () => {
    it('T9: sweep removes records past their idle or absolute deadline and keeps live ones', async () => {
      const store = memoryStore();
      const t = Date.now();
      const [idle, absolute, kept] = [newId(), newId(), newId()];
      await store.create(idle, pastIdle(t));
      await store.create(absolute, pastAbsolute(t));
      await store.create(kept, record({ a: '1' }, t));
      expect(store.size).to.equal(3);
      store.sweep();
      expect(store.size).to.equal(1);
      expect((await store.load(kept, { now: t, idleTimeoutMs: HOUR }))?.data).to.deep.equal({ a: '1' });
    });

    it('T9: sweep(now) judges deadlines against the given time, expiring at the deadline itself', async () => {
      const store = memoryStore();
      const t = Date.now();
      await store.create(newId(), { ...record({}, t), expiresAt: t + 10_000 });
      await store.create(newId(), { ...record({}, t), expiresAt: t + 20_000, absoluteExpiresAt: t + 20_000 });
      store.sweep(t + 9_999);
      expect(store.size).to.equal(2);
      store.sweep(t + 10_000);
      expect(store.size, 'past the first idle deadline').to.equal(1);
      store.sweep(t + 20_000);
      expect(store.size, 'past the second absolute deadline').to.equal(0);
    });

    it('T9: the sweep timer removes expired records with no call into the store', async () => {
      const store = memoryStore({ sweepInterval: 10 });
      await store.create(newId(), pastIdle(Date.now()));
      expect(store.size).to.equal(1);
      const giveUp = Date.now() + 2_000;
      while (store.size > 0 && Date.now() < giveUp) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(store.size).to.equal(0);
    });

    it('T9: close stops the sweep timer', async () => {
      const store = memoryStore({ sweepInterval: 10 });
      store.close();
      await store.create(newId(), pastIdle(Date.now()));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(store.size, 'five sweep intervals after close').to.equal(1);
    });

    it('T9: the sweep timer does not keep the process alive', async () => {
      const script = "import { MemoryStore } from '@sessionware/core'; globalThis.store = new MemoryStore({ sweepInterval: 10 }); console.log('ready');";
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=sessionware-source', '--import', 'tsx', '--input-type=module', '-e', script],
        { cwd: ROOT, timeout: 10_000 },
      );
      expect(stdout.trim()).to.equal('ready');
    });
  });

  describe('options', () => {
    const invalid: Array<[option: keyof MemoryStoreOptions, value: unknown]> = [
      ['maxSessions', 0],
      ['maxSessions', -1],
      ['maxSessions', 1.5],
      ['maxSessions', Number.NaN],
      ['maxSessions', Number.POSITIVE_INFINITY],
      ['maxSessions', 2 ** 53],
      ['maxSessions', '10'],
      ['sweepInterval', 0],
      ['sweepInterval', -1_000],
      ['sweepInterval', Number.NaN],
      ['sweepInterval', Number.POSITIVE_INFINITY],
      ['sweepInterval', ''],
      ['sweepInterval', 'soon'],
      ['sweepInterval', '10 minutes'],
      ['sweepInterval', '-5s'],
      ['sweepInterval', '0s'],
      ['sweepInterval', 0.4],
      ['sweepInterval', '25d'],
      ['sweepInterval', 2 ** 31],
    ];
    for (const [option, value] of invalid) {
      it(`T9: ${option} ${typeof value === 'string' ? JSON.stringify(value) : String(value)} (${typeof value}) throws a SessionConfigError naming the option`, () => {
        let thrown: unknown;
        try {
          memoryStore({ [option]: value } as MemoryStoreOptions);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).to.be.instanceOf(SessionConfigError);
        expect((thrown as SessionConfigError).code).to.equal('ERR_SESSION_CONFIG');
        expect((thrown as SessionConfigError).message).to.match(new RegExp(`^option ${option} is invalid: `));
      });
    }

    const unknown: Array<[string, unknown, RegExp]> = [
      ['the typo maxSesions', { maxSesions: 10 }, /^option maxSesions is unknown: did you mean `maxSessions`\?$/],
      ['the typo maxByte', { maxByte: 1024 }, /^option maxByte is unknown: did you mean `maxBytes`\?$/],
      ['connect-redis ttl', { ttl: 60 }, /^option ttl is unknown: expected one of maxSessions, maxBytes, sweepInterval$/],
      ['options that are a number', 10, /^options are invalid: expected an object$/],
      ['options that are null', null, /^options are invalid: expected an object$/],
    ];
    for (const [what, options, message] of unknown) {
      it(`O1: ${what} throws a SessionConfigError naming the option`, () => {
        expect(() => memoryStore(options as MemoryStoreOptions)).to.throw(SessionConfigError, message);
      });
    }

    const valid: MemoryStoreOptions[] = [{}, { maxSessions: 1 }, { maxSessions: 100_000 }, { sweepInterval: '30s' }, { sweepInterval: 250 }, { sweepInterval: '1500' }, { sweepInterval: '12h' }, { sweepInterval: '24d' }];
    for (const options of valid) {
      it(`T9: ${JSON.stringify(options)} is accepted`, async () => {
        const store = memoryStore(options);
        const id = newId();
        expect(await store.create(id, record())).to.equal('created');
      });
    }
  });
});
