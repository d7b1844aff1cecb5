import { expect } from 'chai';
import { PeekPaths } from '../src/peek-paths.js';

describe('PeekPaths: which requests the middleware opens as the peek (SPEC P5)', () => {
  const paths = new PeekPaths();
  paths.add('/auth/session');

  const cases: Array<[string | undefined, string, boolean]> = [
    ['GET', '/auth/session', true],
    ['HEAD', '/auth/session', true],
    ['GET', '/AUTH/Session', true],
    ['GET', '/auth/session/', true],
    ['POST', '/auth/session', false],
    [undefined, '/auth/session', false],
    ['GET', '/auth/sessions', false],
    ['GET', '/auth/session//', false],
    ['GET', '/api/session', false],
    ['GET', '/auth/logout', false],
  ];
  for (const [method, path, expected] of cases) {
    it(`P5: ${method ?? 'no method'} ${path} is ${expected ? '' : 'not '}the peek`, () => {
      expect(paths.matches(method, path)).to.equal(expected);
    });
  }

  it('P5: with no peek route registered, no request is the peek', () => {
    expect(new PeekPaths().matches('GET', '/auth/session')).to.equal(false);
  });
});
