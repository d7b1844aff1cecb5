import { expect } from 'chai';
import { MemoryRenewals } from '../../src/internal/memory-renewals.js';

describe('MemoryRenewals (the MemoryStore\'s renewal pointers)', () => {
  it('P2: a pointer leads to the renewed id until its grace ends, then is dropped when read', () => {
    const renewals = new MemoryRenewals();
    renewals.add('old', 'new', 1_000);
    expect(renewals.target('old', 999)).to.equal('new');
    expect(renewals.target('old', 1_000)).to.equal(undefined);
    expect(renewals.target('old', 0), 'dropped, not only hidden').to.equal(undefined);
  });

  it('P2, T9: the sweep drops the pointers whose grace has ended and keeps the others (bounded memory)', () => {
    const renewals = new MemoryRenewals();
    renewals.add('lapsed', 'a', 1_000);
    renewals.add('live', 'b', 5_000);
    renewals.sweep(1_000);
    expect(renewals.target('lapsed', 0), 'swept').to.equal(undefined);
    expect(renewals.target('live', 0)).to.equal('b');
  });

  it('P2: delete drops a pointer at once (a logout or a login through it)', () => {
    const renewals = new MemoryRenewals();
    renewals.add('old', 'new', 1_000);
    renewals.delete('old');
    expect(renewals.target('old', 0)).to.equal(undefined);
  });
});
