import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SessionConfigError } from '../../src/errors.js';
import * as secretsModule from '../../src/internal/secrets.js';
import { isDevelopmentEnv, isPlaceholderSecret, MIN_SECRET_BYTES, resolveSecrets } from '../../src/internal/secrets.js';

type SecretsModule = typeof secretsModule;

/** Collects warnings instead of printing them. */
function recorder(): { warn(message: string): void; messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}

const GOOD = randomBytes(48).toString('base64url');
const OTHER = randomBytes(48).toString('base64url');
const NO_ENV = Object.freeze({});

/**
 * A separate instance of the module, so its "one secret per process" state starts empty no
 * matter which test file ran first in this mocha process.
 */
async function freshSecretsModule(tag: string): Promise<SecretsModule> {
  const url = new URL(`../../src/internal/secrets.ts?instance=${tag}`, import.meta.url).href;
  return (await import(url)) as SecretsModule;
}

describe('internal/secrets: resolveSecrets', () => {
  describe('in production (K3)', () => {
    it('K3: a missing secret throws a SessionConfigError naming secrets and SESSION_SECRETS', () => {
      const warnings = recorder();
      expect(() => resolveSecrets(undefined, NO_ENV, true, warnings))
        .to.throw(SessionConfigError, 'option secrets is missing')
        .that.satisfies((error: Error) => error.message.includes('SESSION_SECRETS'));
      expect(warnings.messages).to.deep.equal([]);
    });

    it('K3: an empty list, an empty string and a string of commas all count as missing', () => {
      for (const input of [[], '', ' , ,'] as const) {
        expect(() => resolveSecrets(input, NO_ENV, true, recorder()), JSON.stringify(input))
          .to.throw(SessionConfigError, 'option secrets is missing');
      }
    });

    const rejected: Array<[string, string]> = [
      ['secret', "the placeholder 'secret'"],
      ['changeme', "the placeholder 'changeme'"],
      ['changemechangemechangemechangeme', 'a placeholder repeated to 32 bytes'],
      ['CHANGE-ME-CHANGE-ME-CHANGE-ME-CHANGE-ME', 'a placeholder padded with punctuation'],
      ['keyboard cat keyboard cat keyboard cat', 'a well-known example secret, repeated'],
      ['a'.repeat(64), 'one character repeated'],
      ['abababababababababababababababab', 'too few distinct characters'],
      [randomBytes(15).toString('hex'), 'random but 30 bytes, under 32'],
    ];
    for (const [secret, why] of rejected) {
      it(`K3: rejects ${why}, naming secrets and SESSION_SECRETS`, () => {
        expect(() => resolveSecrets([secret], NO_ENV, true, recorder()))
          .to.throw(SessionConfigError, /^option secrets is invalid: secret #1 /)
          .that.satisfies((error: Error) => error.message.includes('SESSION_SECRETS'));
      });
    }

    it('K3: the message says which secret of the list is bad, and never contains it', () => {
      expect(() => resolveSecrets([GOOD, 'changeme'], NO_ENV, true, recorder()))
        .to.throw(SessionConfigError, 'secret #2 is shorter than 32 bytes')
        .that.satisfies((error: Error) => !error.message.includes('changeme'));
    });

    it('K3: accepts random secrets of at least 32 bytes', () => {
      expect(resolveSecrets([GOOD, OTHER], NO_ENV, true, recorder())).to.deep.equal([GOOD, OTHER]);
    });

    it('K3: the 32-byte rule counts UTF-8 bytes, not characters', () => {
      const hex = randomBytes(12).toString('hex');
      const multiByte = `${hex}éééé`; // 28 characters, 32 bytes
      expect(resolveSecrets([multiByte], NO_ENV, true, recorder())).to.deep.equal([multiByte]);
      expect(() => resolveSecrets([`${hex}eeee`], NO_ENV, true, recorder()))
        .to.throw(SessionConfigError, 'shorter than 32 bytes');
    });
  });

  describe('lists and comma-separated strings (K2)', () => {
    it('K2: a comma-separated string becomes an ordered list, trimmed, empty entries dropped', () => {
      expect(resolveSecrets(` ${GOOD} ,, ${OTHER},`, NO_ENV, true, recorder())).to.deep.equal([GOOD, OTHER]);
    });

    it('K2: SESSION_SECRETS is read from the given env when the option is unset', () => {
      expect(resolveSecrets(undefined, { SESSION_SECRETS: `${OTHER},${GOOD}` }, true, recorder()))
        .to.deep.equal([OTHER, GOOD]);
    });

    it('K2: the option wins over SESSION_SECRETS', () => {
      expect(resolveSecrets([GOOD], { SESSION_SECRETS: OTHER }, true, recorder())).to.deep.equal([GOOD]);
    });

    it('K2: the resolved list is frozen', () => {
      expect(Object.isFrozen(resolveSecrets([GOOD], NO_ENV, true, recorder()))).to.equal(true);
    });

    const badTypes: Array<[string, unknown]> = [
      ['a number', 42],
      ['an object', { secret: GOOD }],
      ['a list holding a number', [GOOD, 42]],
      ['a list holding null', [null]],
    ];
    for (const [label, input] of badTypes) {
      it(`K2: rejects secrets given as ${label}, naming option secrets`, () => {
        expect(() => resolveSecrets(input as string, NO_ENV, false, recorder()))
          .to.throw(SessionConfigError, 'option secrets is invalid');
      });
    }
  });

  describe('outside production (K3)', () => {
    it('K3: a missing secret is generated once per process with exactly one warning; a second call returns the same secret and does not warn', async () => {
      const fresh = await freshSecretsModule('generate-once');
      const first = recorder();
      const second = recorder();
      const a = fresh.resolveSecrets(undefined, NO_ENV, false, first);
      const b = fresh.resolveSecrets(undefined, { NODE_ENV: 'development' }, false, second);
      expect(a).to.have.length(1);
      expect(Buffer.byteLength(a[0] ?? '')).to.be.at.least(MIN_SECRET_BYTES);
      expect(b).to.deep.equal(a);
      expect(first.messages).to.have.length(1);
      expect(first.messages[0]).to.match(/will not survive a restart/).and.to.include('SESSION_SECRETS');
      expect(second.messages).to.deep.equal([]);
    });

    it('K3: two module instances generate different secrets (random, not a constant)', async () => {
      const one = (await freshSecretsModule('random-1')).resolveSecrets(undefined, NO_ENV, false, recorder());
      const two = (await freshSecretsModule('random-2')).resolveSecrets(undefined, NO_ENV, false, recorder());
      expect(one[0]).to.be.a('string').and.not.equal(two[0]);
    });

    it('K3: a short or placeholder secret is accepted with a warning naming the option', () => {
      const warnings = recorder();
      expect(resolveSecrets(['changeme', GOOD], NO_ENV, false, warnings)).to.deep.equal(['changeme', GOOD]);
      expect(warnings.messages).to.have.length(1);
      expect(warnings.messages[0]).to.include('option secrets is invalid: secret #1').and.include('accepted only because NODE_ENV is development or test');
    });

    it('K3: good secrets produce no warning', () => {
      const warnings = recorder();
      resolveSecrets([GOOD], NO_ENV, false, warnings);
      expect(warnings.messages).to.deep.equal([]);
    });
  });
});

describe('internal/secrets: isPlaceholderSecret', () => {
  const placeholders = ['', '!!!!', 'secret', 'Secret', 'keyboard cat', 'changeme'.repeat(4), 'TODO-TODO-TODO-TODO-TODO-TODO-TODO-TODO', '1'.repeat(40)];
  for (const secret of placeholders) {
    it(`K3: ${JSON.stringify(secret)} is a placeholder`, () => {
      expect(isPlaceholderSecret(secret)).to.equal(true);
    });
  }

  it('K3: a random base64url secret of 48 bytes is not a placeholder', () => {
    for (let i = 0; i < 200; i += 1) {
      const secret = randomBytes(48).toString('base64url');
      expect(isPlaceholderSecret(secret), secret).to.equal(false);
    }
  });
});

describe('internal/secrets: isDevelopmentEnv (K3 contract v2, fail closed)', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['development', true],
    ['test', true],
    [undefined, false],
    ['', false],
    ['production', false],
    ['prod', false],
    ['staging', false],
    ['Production', false],
    ['Development', false],
    ['TEST', false],
    [' development', false],
    ['dev', false],
  ];
  for (const [mode, development] of cases) {
    it(`K3: NODE_ENV ${mode === undefined ? 'unset' : JSON.stringify(mode)} is ${development ? 'development (a random secret may be generated)' : 'production (secrets required)'}`, () => {
      expect(isDevelopmentEnv(mode === undefined ? {} : { NODE_ENV: mode })).to.equal(development);
    });
  }
});
