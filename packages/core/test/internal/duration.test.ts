import { expect } from 'chai';
import { SessionConfigError } from '../../src/errors.js';
import { MAX_TIMER_MS, parseDuration } from '../../src/internal/duration.js';

describe('internal/duration: parseDuration', () => {
  const valid: Array<[unknown, number]> = [
    ['500ms', 500],
    ['30s', 30_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
    [' 30s ', 30_000],
    ['1500', 1_500],
    ['86400000', 86_400_000],
    [2_500, 2_500],
    [1.6, 2],
  ];
  for (const [input, ms] of valid) {
    it(`E, T2, F1: accepts ${JSON.stringify(input)} as ${ms} ms`, () => {
      expect(parseDuration('idleTimeout', input)).to.equal(ms);
    });
  }

  const invalid: unknown[] = [
    '', '   ', 'soon', '12 hours', '1w', '30x', 'h', '-1', '-30s', '0', '0s', '1e3', '1,5s', 'Infinity',
    0, 0.4, '0.4ms', -1, Number.NaN, Number.POSITIVE_INFINITY, null, true, {}, [], undefined,
  ];
  for (const input of invalid) {
    const label = typeof input === 'number' ? String(input) : JSON.stringify(input) ?? String(input);
    it(`E: rejects ${label} with a SessionConfigError naming the option`, () => {
      expect(() => parseDuration('absoluteTimeout', input))
        .to.throw(SessionConfigError, 'option absoluteTimeout is invalid')
        .with.property('code', 'ERR_SESSION_CONFIG');
    });
  }

  it('F1: a timer delay above 2^31 − 1 ms is refused (Node would fire it after 1 ms)', () => {
    expect(() => parseDuration('storeTimeout', '30d', MAX_TIMER_MS)).to.throw(SessionConfigError, 'option storeTimeout is invalid: at most');
    expect(parseDuration('storeTimeout', MAX_TIMER_MS, MAX_TIMER_MS)).to.equal(MAX_TIMER_MS);
    expect(parseDuration('absoluteTimeout', '600d')).to.equal(600 * 86_400_000);
  });

  it('E: the error message names whichever option it was given', () => {
    expect(() => parseDuration('storeTimeout', 'nope')).to.throw(SessionConfigError, /^option storeTimeout is invalid: /);
  });
});
