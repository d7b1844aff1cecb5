// The adapters' own options are strict like core's (SPEC O1): their factories throw at startup.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionConfigError } from '@sessionware/core';
import * as express from '@sessionware/express';
import * as koa from '@sessionware/koa';

const SECRET = randomBytes(48).toString('base64url');

type Factory = (options: Record<string, unknown>) => unknown;

function sessionOf(adapter: typeof express | typeof koa): Factory {
  return (options) => adapter.session({ secrets: [SECRET], env: { NODE_ENV: 'production' }, ...options });
}

const factories: Array<[string, Factory, Array<[string, Record<string, unknown>, RegExp]>, Array<Record<string, unknown>>]> = [
  ['Express logoutRouter()', (options) => express.logoutRouter(options), [
    ['the typo allpath', { allpath: '/all' }, /^option allpath is unknown: did you mean `allPath`\?$/],
    ['the typo pth', { pth: '/bye' }, /^option pth is unknown: did you mean `path`\?$/],
    ['the Koa-only all', { all: true }, /^option all is unknown: /],
    ['a bad path', { path: 'logout' }, /^option path is invalid: expected a path starting with \/$/],
    ['a bad prefix', { prefix: 'auth' }, /^option prefix is invalid: expected a path starting with \/$/],
    ['sessionPath, which only the middleware\'s router has (P5)', { sessionPath: '/peek' }, /^option sessionPath is unknown: /],
  ], [{}, { prefix: '/auth', path: '/bye', allPath: '/bye-all', redirectTo: '/login', beforeLogout: () => undefined }]],
  ['Express sessions.logoutRouter()', (options) => (sessionOf(express)({}) as express.SessionMiddleware).logoutRouter(options), [
    ['the typo redirect', { redirect: '/' }, /^option redirect is unknown: did you mean `redirectTo`\?$/],
    ['an unrelated name', { successRedirect: '/' }, /^option successRedirect is unknown: expected one of redirectTo, beforeLogout, prefix, path, allPath, sessionPath$/],
    ['a bad sessionPath', { sessionPath: 'session' }, /^option sessionPath is invalid: expected a path starting with \/$/],
  ], [{ path: '/out' }, { prefix: '/auth', sessionPath: '/peek' }]],
  ['Koa logoutRouter()', (options) => koa.logoutRouter(options), [
    ['the typo prefx', { prefx: '/auth' }, /^option prefx is unknown: did you mean `prefix`\?$/],
    ['the typo allPaths', { allPaths: '/all' }, /^option allPaths is unknown: did you mean `allPath`\?$/],
    ['all, which is logout()’s', { all: true }, /^option all is unknown: /],
    ['a bad prefix', { prefix: 'auth' }, /^option prefix is invalid: /],
    ['sessionPath, which only the middleware\'s router has (P5)', { sessionPath: '/peek' }, /^option sessionPath is unknown: /],
  ], [{}, { prefix: '/auth', path: '/bye', allPath: '/bye-all', redirectTo: '/', beforeLogout: () => undefined }]],
  ['Koa sessions.logoutRouter()', (options) => (sessionOf(koa)({}) as koa.SessionMiddleware).logoutRouter(options), [
    ['the typo prefixx', { prefixx: '/auth' }, /^option prefixx is unknown: did you mean `prefix`\?$/],
    ['a bad sessionPath', { sessionPath: 'session' }, /^option sessionPath is invalid: /],
  ], [{ prefix: '/auth' }, { prefix: '/auth', sessionPath: '/peek' }]],
  ['Koa logout()', (options) => koa.logout(options), [
    ['the typo al', { al: true }, /^option al is unknown: did you mean `all`\?$/],
    ['path, which is the router’s', { path: '/bye' }, /^option path is unknown: /],
    ['all that is not a boolean', { all: 'yes' }, /^option all is invalid: expected true or false$/],
  ], [{}, { all: true, redirectTo: '/' }]],
  ['Express session()', sessionOf(express), [
    ['express-session resave', { resave: false }, /^option resave is unknown: `resave` → nothing to set/],
    ['cookie.maxAge', { cookie: { maxAge: 1000 } }, /^option cookie\.maxAge is unknown: `cookie\.maxAge` → `idleTimeout`/],
  ], [{}]],
  ['Koa session()', sessionOf(koa), [
    ['koa-session key', { key: 'koa.sess' }, /^option key is unknown: `key` → `cookie: \{ name: '…' \}`$/],
    ['koa-session renew', { renew: true }, /^option renew is unknown: `renew` → /],
  ], [{}]],
];

describe('adapter options (O1)', () => {
  for (const [name, factory, invalid, valid] of factories) {
    describe(name, () => {
      for (const [what, options, message] of invalid) {
        it(`O1: rejects ${what} with a SessionConfigError naming the option`, () => {
          expect(() => factory(options)).to.throw(SessionConfigError, message);
        });
      }
      for (const options of valid) {
        it(`O1: accepts ${JSON.stringify(options)}`, () => {
          expect(() => factory(options)).not.to.throw();
        });
      }
    });
  }
});
