// The small rules the two example apps share, table-driven (SPEC §E, P1, P3, P5).
import { expect } from 'chai';
import { SessionFreshnessError, SessionLimitError } from '@sessionware/core';
import { errorReply, idleWarningMs, wantsRemember } from '@sessionware/example-shared';

describe('example shared rules (SPEC §E)', () => {
  const WARNINGS: Array<[idleTimeout: number | string | undefined, warningMs: number]> = [
    [undefined, 60_000],
    ['12h', 60_000],
    [180_000, 60_000],
    ['90s', 30_000],
    [3_000, 1_000],
    ['3000', 1_000],
    ['not a duration', 60_000],
  ];
  for (const [idleTimeout, warningMs] of WARNINGS) {
    it(`P5: with idleTimeout ${JSON.stringify(idleTimeout)} the page warns ${warningMs} ms before the idle deadline (the last minute, or the last third when shorter)`, () => {
      expect(idleWarningMs(idleTimeout)).to.equal(warningMs);
    });
  }

  const REMEMBER: Array<[body: Record<string, unknown>, remember: boolean]> = [
    [{ remember: true }, true],
    [{ remember: 'on' }, true],
    [{ remember: 'true' }, true],
    [{}, false],
    [{ remember: false }, false],
    [{ remember: 'false' }, false],
    [{ remember: 1 }, false],
    [{ remember: ['on'] }, false],
  ];
  for (const [body, remember] of REMEMBER) {
    it(`P1: POST /login with ${JSON.stringify(body)} ${remember ? 'asks' : 'does not ask'} to be remembered`, () => {
      expect(wantsRemember(body)).to.equal(remember);
    });
  }

  it('P3, P4: SessionFreshnessError answers 401 reauthentication_required; SessionLimitError its own 409 ERR_SESSION_LIMIT', () => {
    expect(errorReply(new SessionFreshnessError('too old'))).to.deep.equal({ status: 401, code: 'reauthentication_required' });
    expect(errorReply(new SessionLimitError('too many'))).to.deep.equal({ status: 409, code: 'ERR_SESSION_LIMIT' });
  });
});
