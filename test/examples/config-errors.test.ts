// A bad environment makes the example apps refuse to start, naming the variable (SPEC §E; issue 13).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { SessionConfigError } from '@sessionware/core';
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
];

describe('example configuration errors (SPEC §E, issue 13)', () => {
  describe('readConfig names the variable, not the session option', () => {
    for (const [name, value, message] of BAD_ENV) {
      it(`§E: ${name}=${JSON.stringify(value)} throws "${message}"`, () => {
        expect(() => readConfig({ [name]: value })).to.throw(Error).with.property('message', message);
      });
    }

    it('§E: good values are read (durations to milliseconds, blank as unset)', () => {
      const config = readConfig({ SESSION_IDLE_TIMEOUT: '15m', SESSION_ABSOLUTE_TIMEOUT: '90000', SESSION_COOKIE_EXPIRY: 'persistent', PORT: ' ', REDIS_URL: 'redis://127.0.0.1:6379/2' });
      expect(config).to.deep.include({ port: 3000, redisUrl: 'redis://127.0.0.1:6379/2' });
      expect(config.session).to.deep.include({ idleTimeout: 900_000, absoluteTimeout: 90_000, cookie: { expiry: 'persistent' } });
    });

    it('§E, F5: a bad REDIS_URL is not echoed (it may hold a password)', () => {
      expect(() => readConfig({ REDIS_URL: 'http://user:hunter2@127.0.0.1:6379' })).to.throw(Error).with.property('message').that.does.not.include('hunter2');
    });

    it('§E: a startup error of the session factory naming an option is reworded to name its variable', () => {
      const reworded = inEnvTerms(new SessionConfigError('option idleTimeout is invalid: at most 2147483647 ms')) as Error;
      expect(reworded.message).to.equal('SESSION_IDLE_TIMEOUT is invalid: at most 2147483647 ms');
      const other = new SessionConfigError('option secrets is invalid: too short');
      expect(inEnvTerms(other)).to.equal(other);
    });
  });

  for (const target of [expressExample, koaExample]) {
    describe(`the demo command refuses to start: ${target.demoCommand.join(' ')}`, function () {
      this.timeout(60_000);
      for (const [name, value, message] of [BAD_ENV[0]!, BAD_ENV[2]!, BAD_ENV[4]!, BAD_ENV[5]!, BAD_ENV[7]!]) {
        it(`§E: ${name}=${JSON.stringify(value)} exits non-zero with "${message}"`, async () => {
          const [file = '', ...args] = target.demoCommand;
          const env = { ...process.env, PORT: '0', SESSION_SECRETS: EXAMPLE_SECRETS, [name]: value };
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
