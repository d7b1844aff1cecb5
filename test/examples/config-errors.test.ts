// A bad environment makes the example apps refuse to start, naming the variable (SPEC §E; issue 13).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { SessionConfigError } from '@sessionware/core';
import { session } from '@sessionware/express';
import { inEnvTerms, readConfig } from '@sessionware/example-shared';
import { stopDemo } from './demo.js';
import { EXAMPLE_SECRETS, expressExample, koaExample } from './targets.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Each bad variable and the start of the message naming it. */
const BAD_ENV: Array<[name: string, value: string, message: string]> = [
  ['SESSION_IDLE_TIMEOUT', '15 minutes', 'SESSION_IDLE_TIMEOUT is invalid: expected milliseconds or 30s/15m/12h/7d, got "15 minutes"'],
  ['SESSION_IDLE_TIMEOUT', '0', 'SESSION_IDLE_TIMEOUT is invalid: expected milliseconds or 30s/15m/12h/7d, got "0"'],
  ['SESSION_ABSOLUTE_TIMEOUT', '7days', 'SESSION_ABSOLUTE_TIMEOUT is invalid: expected milliseconds or 30s/15m/12h/7d, got "7days"'],
  ['SESSION_ABSOLUTE_TIMEOUT', '-1d', 'SESSION_ABSOLUTE_TIMEOUT is invalid: expected milliseconds or 30s/15m/12h/7d, got "-1d"'],
  ['SESSION_COOKIE_EXPIRY', 'forever', 'SESSION_COOKIE_EXPIRY is invalid: expected browser-session or persistent, got "forever"'],
  ['PORT', 'http', 'PORT is invalid: expected a port number 0–65535, got "http"'],
  ['PORT', '70000', 'PORT is invalid: expected a port number 0–65535, got "70000"'],
  ['REDIS_URL', 'localhost:6379', 'REDIS_URL is invalid: expected a redis:// or rediss:// URL'],
  ['SESSION_FRESH_AGE', '5 min', 'SESSION_FRESH_AGE is invalid: expected milliseconds or 30s/15m/12h/7d, got "5 min"'],
  ['SESSION_FRESH_AGE', '0s', 'SESSION_FRESH_AGE is invalid: expected milliseconds or 30s/15m/12h/7d, got "0s"'],
  ['SESSION_RENEWAL_INTERVAL', 'hourly', 'SESSION_RENEWAL_INTERVAL is invalid: expected milliseconds or 30s/15m/12h/7d, got "hourly"'],
  ['SESSION_RENEWAL_GRACE', '-30s', 'SESSION_RENEWAL_GRACE is invalid: expected milliseconds or 30s/15m/12h/7d, got "-30s"'],
  ['SESSION_MAX_PER_USER', '0', 'SESSION_MAX_PER_USER is invalid: expected a positive integer, got "0"'],
  ['SESSION_MAX_PER_USER', '2.5', 'SESSION_MAX_PER_USER is invalid: expected a positive integer, got "2.5"'],
  ['SESSION_MAX_PER_USER', 'three', 'SESSION_MAX_PER_USER is invalid: expected a positive integer, got "three"'],
  ['REDIS_CLUSTER_NODES', '127.0.0.1:7000,127.0.0.1', 'REDIS_CLUSTER_NODES is invalid: expected comma-separated host:port entries (entry 2 of 2 is not host:port)'],
  ['REDIS_CLUSTER_NODES', 'redis://127.0.0.1:7000', 'REDIS_CLUSTER_NODES is invalid: expected comma-separated host:port entries (entry 1 of 1 is not host:port)'],
  ['REDIS_CLUSTER_NODES', '127.0.0.1:70000', 'REDIS_CLUSTER_NODES is invalid: expected comma-separated host:port entries (entry 1 of 1 is not host:port)'],
  ['REDIS_SENTINELS', '127.0.0.1:26379,', 'REDIS_SENTINELS is invalid: expected comma-separated host:port entries (entry 2 of 2 is not host:port)'],
  ['REDIS_SENTINELS', '127.0.0.1:26379', 'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name of the monitored primary'],
  ['REDIS_SENTINEL_NAME', 'mymaster', 'REDIS_SENTINEL_NAME is set without REDIS_SENTINELS'],
];

/** Environments each refused as a whole: two Redis modes at once, or a Sentinel setting that does not fit. */
const BAD_COMBINATIONS: Array<[env: Record<string, string>, message: string]> = [
  [{ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, 'REDIS_URL and REDIS_CLUSTER_NODES are set together: set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS'],
  [{ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_URL and REDIS_SENTINELS are set together: set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS'],
  [{ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_CLUSTER_NODES and REDIS_SENTINELS are set together: set only one of REDIS_URL, REDIS_CLUSTER_NODES, REDIS_SENTINELS'],
  [{ REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_SENTINEL_NAME: 'mymaster' }, 'REDIS_SENTINEL_NAME is set without REDIS_SENTINELS'],
  [{ REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_NAME: 'my master' }, 'REDIS_SENTINEL_NAME is invalid: expected a primary name of letters, digits, ".", "_" or "-", got "my master"'],
];

describe('example configuration errors (SPEC §E, issue 13)', () => {
  describe('readConfig names the variable, not the session option', () => {
    for (const [name, value, message] of BAD_ENV) {
      it(`§E: ${name}=${JSON.stringify(value)} throws "${message}"`, () => {
        expect(() => readConfig({ [name]: value })).to.throw(Error).with.property('message', message);
      });
    }

    for (const [env, message] of BAD_COMBINATIONS) {
      it(`§E, S2: ${Object.keys(env).join(' + ')} throws "${message}"`, () => {
        expect(() => readConfig(env)).to.throw(Error).with.property('message', message);
      });
    }

    it('§E: good values are read (durations to milliseconds, blank as unset)', () => {
      const config = readConfig({
        SESSION_IDLE_TIMEOUT: '15m', SESSION_ABSOLUTE_TIMEOUT: '90000', SESSION_COOKIE_EXPIRY: 'persistent', PORT: ' ', REDIS_URL: 'redis://127.0.0.1:6379/2',
        SESSION_FRESH_AGE: '90s', SESSION_RENEWAL_INTERVAL: '1h', SESSION_RENEWAL_GRACE: '10s', SESSION_MAX_PER_USER: '3', REDIS_CLUSTER_NODES: ' ',
      });
      expect(config).to.deep.include({ port: 3000, redis: { mode: 'standalone', url: 'redis://127.0.0.1:6379/2' }, freshAgeMs: 90_000 });
      expect(config.policies).to.deep.equal({ renewalInterval: 3_600_000, renewalGrace: 10_000, maxSessionsPerUser: 3 });
      // The one place they enter session()'s options (SPEC P2, P4).
      expect(config.session).to.deep.include({ renewalInterval: 3_600_000, renewalGrace: 10_000, maxSessionsPerUser: 3 });
      expect(config.session).to.deep.include({ idleTimeout: 900_000, absoluteTimeout: 90_000, cookie: { expiry: 'persistent' } });
    });

    it('§E, P2, P3, P4: unset, SESSION_FRESH_AGE is 5 minutes and no renewal or cap is configured', () => {
      const config = readConfig({});
      expect(config).to.deep.include({ redis: undefined, freshAgeMs: 300_000, policies: {} });
      expect(config.session).to.not.have.any.keys('renewalInterval', 'renewalGrace', 'maxSessionsPerUser');
    });

    it('§E, S2: REDIS_CLUSTER_NODES and REDIS_SENTINELS + REDIS_SENTINEL_NAME are read as host:port lists', () => {
      expect(readConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:7000, redis-b.internal:7001,[::1]:7002' }).redis).to.deep.equal({
        mode: 'cluster',
        nodes: [{ host: '127.0.0.1', port: 7000 }, { host: 'redis-b.internal', port: 7001 }, { host: '::1', port: 7002 }],
      });
      expect(readConfig({ REDIS_SENTINELS: 'sentinel-1:26379,sentinel-2:26380', REDIS_SENTINEL_NAME: 'mymaster' }).redis).to.deep.equal({
        mode: 'sentinel',
        sentinels: [{ host: 'sentinel-1', port: 26379 }, { host: 'sentinel-2', port: 26380 }],
        name: 'mymaster',
      });
    });

    it('§E, F5: a bad REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS is not echoed (it may hold a password)', () => {
      for (const name of ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS']) {
        const env = { [name]: 'http://user:hunter2@127.0.0.1:6379', REDIS_SENTINEL_NAME: name === 'REDIS_SENTINELS' ? 'mymaster' : '' };
        expect(() => readConfig(env), name).to.throw(Error).with.property('message').that.does.not.include('hunter2');
      }
    });

    it('§E: a startup error of the session factory naming an option is reworded to name its variable', () => {
      const reworded = inEnvTerms(new SessionConfigError('option idleTimeout is invalid: at most 2147483647 ms')) as Error;
      expect(reworded.message).to.equal('SESSION_IDLE_TIMEOUT is invalid: at most 2147483647 ms');
      const renewal = inEnvTerms(new SessionConfigError('option renewalGrace is invalid: at most 2147483647 ms')) as Error;
      expect(renewal.message).to.equal('SESSION_RENEWAL_GRACE is invalid: at most 2147483647 ms');
      const other = new SessionConfigError('option secrets is invalid: too short');
      expect(inEnvTerms(other)).to.equal(other);
    });
  });

  for (const target of [expressExample, koaExample]) {
    describe(`the demo command refuses to start: ${target.demoCommand.join(' ')}`, function () {
      this.timeout(60_000);
      const refused: Array<[env: Record<string, string>, message: string]> = [
        ...[0, 2, 4, 5, 7, 8, 10, 12, 15].map((i) => BAD_ENV[i]!).map(([name, value, message]): [Record<string, string>, string] => [{ [name]: value }, message]),
        BAD_COMBINATIONS[0]!,
      ];
      for (const [bad, message] of refused) {
        const shown = Object.entries(bad).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(' ');
        it(`§E: ${shown} exits non-zero with "${message}"`, async () => {
          const [file = '', ...args] = target.demoCommand;
          const env = { ...process.env, PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, ...bad };
          const child = spawn(file, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
          child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
          try {
            const [code] = (await once(child, 'exit')) as [number | null];
            expect(code, output).to.not.equal(0);
            expect(output).to.include(`could not start: ${message}`).and.not.include('listening on');
            expect(output).to.not.match(/option (idleTimeout|absoluteTimeout|cookie\.expiry)/);
          } finally {
            await stopDemo(child);
          }
        });
      }
    });
  }
});

describe('example configuration errors of the session policies (SPEC §E, P2)', () => {
  it('§E, P2: SESSION_RENEWAL_GRACE without SESSION_RENEWAL_INTERVAL, or not shorter than it, refuses to start naming SESSION_RENEWAL_GRACE', () => {
    for (const env of [{ SESSION_RENEWAL_GRACE: '10s' }, { SESSION_RENEWAL_INTERVAL: '30s', SESSION_RENEWAL_GRACE: '1m' }]) {
      const { session: options } = readConfig({ SESSION_SECRETS: EXAMPLE_SECRETS, ...env });
      let error: unknown;
      try {
        session(options);
      } catch (thrown) {
        error = thrown;
      }
      expect(error, JSON.stringify(env)).to.be.instanceOf(SessionConfigError);
      expect((inEnvTerms(error) as Error).message, JSON.stringify(env)).to.match(/^SESSION_RENEWAL_GRACE /);
    }
  });
});
