// redisStore() checks its client and options at startup (STYLE: options validated where they enter).
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { SessionConfigError } from '@sessionware/core';
import { redisStore } from '@sessionware/redis';

describe('redisStore options', () => {
  // Never connects: validation needs no server.
  const client = new Redis({ lazyConnect: true, enableOfflineQueue: false });
  after(() => client.disconnect());

  const valid: [string, unknown][] = [
    ['no options', undefined],
    ['an empty object', {}],
    ['prefix undefined (the default)', { prefix: undefined }],
    ['an empty prefix', { prefix: '' }],
    ['a prefix with separators', { prefix: 'my-app:sessions:' }],
  ];
  for (const [label, options] of valid) {
    it(`accepts ${label}`, () => {
      const store = redisStore(client, options as never);
      const methods = ['load', 'create', 'update', 'replace', 'destroy', 'renew', 'userVersion', 'markUserChanged', 'listUserSessions', 'revokeUserSessions'] as const;
      for (const method of methods) {
        expect(store[method], method).to.be.a('function');
      }
    });
  }

  const invalid: [string, unknown, unknown, RegExp][] = [
    ['no client', undefined, undefined, /^argument client is invalid: expected an ioredis/],
    ['a URL instead of a client', 'redis://127.0.0.1', undefined, /^argument client is invalid/],
    ['a plain object as client', {}, undefined, /^argument client is invalid/],
    ['options that are a string', client, 'sw:', /^options are invalid: expected an object/],
    ['options that are null', client, null, /^options are invalid/],
    ['options that are an array', client, [], /^options are invalid/],
    ['a misspelt option (O1)', client, { prefx: 'a:' }, /^option prefx is unknown: did you mean `prefix`\?$/],
    ['connect-redis ttl (O1)', client, { ttl: 60 }, /^option ttl is unknown: expected one of prefix$/],
    ['connect-redis client passed as an option (O1)', client, { client }, /^option client is unknown: expected one of prefix$/],
    ['a prefix that is not a string', client, { prefix: 42 }, /^option prefix is invalid: expected a string/],
    ['a prefix with an opening brace', client, { prefix: 'app{' }, /^option prefix is invalid: must not contain \{ or \}/],
    ['a prefix with a hash tag', client, { prefix: '{app}:' }, /^option prefix is invalid/],
  ];
  for (const [label, badClient, options, message] of invalid) {
    it(`throws SessionConfigError naming the argument or option for ${label}`, () => {
      let thrown: unknown;
      try {
        redisStore(badClient as Redis, options as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(SessionConfigError);
      expect((thrown as SessionConfigError).code).to.equal('ERR_SESSION_CONFIG');
      expect((thrown as Error).message).to.match(message);
    });
  }
});
