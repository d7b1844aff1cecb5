import { expect } from 'chai';
import { generateSessionId, parseSessionId, sessionIdTag, userTag } from '../../src/internal/id.js';

describe('internal/id: generateSessionId', () => {
  it('T1: an id is 43 base64url characters encoding 32 bytes (256 bits, above the 128 required)', () => {
    const id = generateSessionId();
    expect(id).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(id, 'base64url')).to.have.length(32);
  });

  it('T1: 10,000 ids are all distinct', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) ids.add(generateSessionId());
    expect(ids.size).to.equal(10_000);
  });

  it('T1: the bits are spread: across 10,000 ids every base64url character occurs at every position of the first 42', () => {
    // A constant or counter-based id would leave most (position, character) pairs unused.
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = generateSessionId();
      for (let position = 0; position < 42; position += 1) seen.add(`${position}:${id[position]}`);
    }
    expect(seen.size).to.equal(42 * 64);
  });
});

describe('internal/id: parseSessionId', () => {
  const random = 'A'.repeat(42) + '_';
  const tag = userTag('ann');

  it('T1, S1: the ids generateSessionId makes parse into their tag and random part', () => {
    const anonymous = generateSessionId();
    expect(parseSessionId(anonymous)).to.deep.equal({ tag: undefined, random: anonymous });
    const user = generateSessionId('ann');
    expect(parseSessionId(user)).to.deep.equal({ tag, random: user.slice(23) });
    expect(sessionIdTag(user)).to.equal(tag);
    expect(sessionIdTag(anonymous)).to.equal(anonymous);
  });

  const invalid: [string, string][] = [
    ['empty', ''],
    ['42 random characters', random.slice(1)],
    ['44 random characters', `${random}A`],
    ['a character outside base64url', `${random.slice(1)}+`],
    ['an empty tag', `.${random}`],
    ['a 21-character tag', `${tag.slice(1)}.${random}`],
    ['a tag without its dot', `${tag}${random}`],
    ['two tags', `${tag}.${tag}.${random}`],
    ['a trailing newline', `${random}\n`],
  ];
  for (const [label, id] of invalid) {
    it(`T1, F3: ${label} is no session id`, () => {
      expect(parseSessionId(id)).to.equal(undefined);
      expect(sessionIdTag(id)).to.equal(id);
    });
  }
});
