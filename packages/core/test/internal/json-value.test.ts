import { expect } from 'chai';
import { SessionDataError } from '../../src/errors.js';
import { checkJsonValue } from '../../src/internal/json-value.js';

class Cart {
  items: string[] = [];
}
class Items extends Array<string> {}

function circular(): unknown {
  const node: Record<string, unknown> = { name: 'n' };
  node['next'] = { back: node };
  return node;
}

function sparse(): unknown[] {
  const array = [1, 2, 3];
  delete array[1];
  return array;
}

/** [what, value, the message after `session key "v" is not JSON: `]. */
const refused: Array<[string, () => unknown, string]> = [
  ['a function', () => () => 1, 'v is a function'],
  ['a symbol', () => Symbol('s'), 'v is a symbol'],
  ['a BigInt', () => 10n, 'v is a BigInt'],
  ['NaN', () => Number.NaN, 'v is NaN'],
  ['Infinity', () => Infinity, 'v is Infinity'],
  ['-Infinity', () => -Infinity, 'v is -Infinity'],
  ['a Date', () => new Date(0), 'v is a Date'],
  ['a Map', () => new Map([['a', 1]]), 'v is a Map'],
  ['a Set', () => new Set([1]), 'v is a Set'],
  ['a RegExp', () => /x/, 'v is a RegExp'],
  ['an Error', () => new Error('e'), 'v is an Error'],
  ['a Buffer', () => Buffer.from('x'), 'v is a Buffer'],
  ['a typed array', () => new Uint8Array(2), 'v is a Uint8Array'],
  ['a boxed string', () => Object('x') as unknown, 'v is a String'],
  ['a Promise', () => Promise.resolve(1), 'v is a Promise'],
  ['a class instance', () => new Cart(), 'v is a Cart'],
  ['an object with a prototype made by Object.create', () => Object.create({ inherited: 1 }) as unknown, 'v is an object with a prototype other than Object.prototype'],
  ['an Array subclass', () => Items.from(['a']), 'v is an array of another kind (Items)'],
  ['a circular structure', circular, 'v.next.back is a circular reference'],
  ['an array containing itself', () => { const a: unknown[] = []; a.push(a); return a; }, 'v[0] is a circular reference'],
  ['undefined inside an array', () => [1, undefined], 'v[1] is undefined'],
  ['a sparse array', sparse, 'v[1] is a hole (a sparse array)'],
  ['an object property holding undefined', () => ({ a: 1, b: undefined }), 'v.b is undefined'],
  ['a getter', () => ({ get now() { return 1; } }), 'v.now is a getter'],
  ['a toJSON method', () => ({ toJSON: () => 'x' }), 'v.toJSON is a function'],
  ['a nested Date, with the path to it', () => ({ cart: [{ id: 1 }, { id: 2 }, { id: 3, at: new Date() }] }), 'v.cart[2].at is a Date'],
  ['a key that is not an identifier, in the path', () => ({ 'a b': [NaN] }), 'v["a b"][0] is NaN'],
];

const accepted: Array<[string, unknown]> = [
  ['a string', 'text'],
  ['an empty string', ''],
  ['a string with a lone surrogate', '\ud800'],
  ['an integer', 42],
  ['a fraction', 0.1],
  ['a negative number', -7],
  ['the largest number', Number.MAX_VALUE],
  ['true', true],
  ['false', false],
  ['null', null],
  ['an empty object', {}],
  ['an empty array', []],
  ['nested objects and arrays', { user: { roles: ['a', 'b'], prefs: { dark: true, size: null } }, list: [[1], [2, { x: 'y' }]] }],
  ['an object with a null prototype', Object.assign(Object.create(null) as object, { a: 1 })],
  ['a value shared twice (not a cycle)', (() => { const shared = { a: 1 }; return { x: shared, y: [shared, shared] }; })()],
  ['an object with a key __proto__ of its own', JSON.parse('{"__proto__": {"a": 1}}') as unknown],
  ['whatever JSON.parse answers', JSON.parse('{"a":[1,"2",{"b":null}],"c":false}') as unknown],
];

describe('internal: json-value (O2)', () => {
  for (const [what, make, message] of refused) {
    it(`O2: ${what} is refused with a SessionDataError naming the key and the path`, () => {
      expect(() => checkJsonValue('v', make())).to.throw(SessionDataError, `session key "v" is not JSON: ${message}`)
        .with.property('code', 'ERR_SESSION_DATA');
    });
  }

  for (const [what, value] of accepted) {
    it(`O2: ${what} is accepted, and survives a JSON round trip`, () => {
      expect(() => checkJsonValue('v', value)).not.to.throw();
      expect(JSON.parse(JSON.stringify(value))).to.deep.equal(value);
    });
  }

  it('O2, F5: the message names the key and path, never the value', () => {
    const secret = 'sk_live_do_not_log';
    expect(() => checkJsonValue('token', { [secret.length]: secret, at: new Date(), note: secret })).to.throw(SessionDataError)
      .with.property('message').that.does.not.include(secret).and.not.include('1970');
    expect(() => checkJsonValue('n', 10n)).to.throw(SessionDataError).with.property('message').that.does.not.include('10');
  });

  it('O2: a key that is not an identifier is written as a bracketed string at the start of the path', () => {
    expect(() => checkJsonValue('my cart', [new Map()])).to.throw(SessionDataError, 'session key "my cart" is not JSON: ["my cart"][0] is a Map');
  });

  it('O2: a structure too deep for the walk is refused as a SessionDataError, not a RangeError', () => {
    let deep: unknown[] = [];
    for (let level = 0; level < 200_000; level += 1) deep = [deep];
    expect(() => checkJsonValue('deep', deep)).to.throw(SessionDataError, 'session key "deep" is not JSON: it nests too deeply');
  });

  it('O2: a getter is refused without being called', () => {
    let calls = 0;
    const value = { get n() { calls += 1; return 1; } };
    expect(() => checkJsonValue('v', value)).to.throw(SessionDataError, 'v.n is a getter');
    expect(calls).to.equal(0);
  });
});
