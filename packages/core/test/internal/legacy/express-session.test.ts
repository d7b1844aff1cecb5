import { expect } from 'chai';
import { expressSessionExpired, expressSessionId } from '../../../src/internal/legacy/express-session.js';

// Vectors made by express-session's own signer (cookie-signature 1.0.7's sign()).
const SID = 'abc123-SID_x';
const SECRET = 'keyboard-cat-secret-one';
const SIGNED = `s:${SID}.uj5EStJcRXA8jkslzuCjXMug++aj5Jtc2n85XMuIAbw`;
const SIGNED_BY_SECOND = `s:${SID}.8SUe9r2beyHHJxksn2CI9nlOY+Jd4daBFVG7lud/UQ8`;

describe('issue 16: migration — internal/legacy/express-session: the old cookie', () => {
  const valid: [string, string, readonly string[]][] = [
    ['signed with the only secret', SIGNED, [SECRET]],
    ['signed with a later secret of the list', SIGNED_BY_SECOND, [SECRET, 'second-secret']],
    ['signed with the first of two', SIGNED, [SECRET, 'second-secret']],
  ];
  for (const [what, value, secrets] of valid) {
    it(`accepts a cookie ${what}`, () => {
      expect(expressSessionId(value, secrets)).to.equal(SID);
    });
  }

  const invalid: [string, string | undefined, readonly string[]][] = [
    ['absent', undefined, [SECRET]],
    ['unsigned (no s: prefix)', SID, [SECRET]],
    ['with the signature of another secret', SIGNED_BY_SECOND, [SECRET]],
    ['with the id changed', SIGNED.replace('abc123', 'abc124'), [SECRET]],
    ['with one signature character changed', SIGNED.replace('uj5E', 'uj5F'), [SECRET]],
    ['with the signature cut short', SIGNED.slice(0, -1), [SECRET]],
    ['with the signature padded with =', `${SIGNED}=`, [SECRET]],
    ['without a signature', `s:${SID}`, [SECRET]],
    ['with an empty id', 's:.uj5EStJcRXA8jkslzuCjXMug++aj5Jtc2n85XMuIAbw', [SECRET]],
    ['still URL-encoded', SIGNED.replace('s:', 's%3A'), [SECRET]],
    ['oversized', `s:${'a'.repeat(2000)}.x`, [SECRET]],
    ['empty', '', [SECRET]],
  ];
  for (const [what, value, secrets] of invalid) {
    it(`refuses a cookie ${what}`, () => {
      expect(expressSessionId(value, secrets)).to.equal(undefined);
    });
  }

  it('reads an expired record as expired, a live one or one without cookie.expires as live', () => {
    const now = Date.parse('2026-12-02T00:00:00Z');
    expect(expressSessionExpired({ cookie: { expires: '2026-12-01T23:59:59.000Z' } }, now)).to.equal(true);
    expect(expressSessionExpired({ cookie: { expires: '2026-12-02T00:00:01.000Z' } }, now)).to.equal(false);
    expect(expressSessionExpired({ cookie: { expires: null } }, now)).to.equal(false);
    expect(expressSessionExpired({}, now)).to.equal(false);
  });
});
