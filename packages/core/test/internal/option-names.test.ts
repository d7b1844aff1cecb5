import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { SessionConfigError } from '../../src/errors.js';
import { checkOptionNames, OPTION_HINTS } from '../../src/internal/option-names.js';

const KNOWN = ['idleTimeout', 'absoluteTimeout', 'storeTimeout', 'cookie', 'env'];

describe('internal/option-names: checkOptionNames', () => {
  const cases: Array<[string, object, Parameters<typeof checkOptionNames>[2], string | null]> = [
    ['known names pass', { idleTimeout: 1, env: {} }, {}, null],
    ['an empty object passes', {}, {}, null],
    ['one edit away', { idleTimout: 1 }, {}, 'option idleTimout is unknown: did you mean `idleTimeout`?'],
    ['two edits away', { idleTimot: 1 }, {}, 'option idleTimot is unknown: did you mean `idleTimeout`?'],
    ['case only', { IDLETIMEOUT: 1 }, {}, 'option IDLETIMEOUT is unknown: did you mean `idleTimeout`?'],
    ['three edits away lists the known names', { idleTmt: 1 }, {}, 'option idleTmt is unknown: expected one of idleTimeout, absoluteTimeout, storeTimeout, cookie, env'],
    ['a short name one edit away', { en: 1 }, {}, 'option en is unknown: did you mean `env`?'],
    ['a short name two edits away is no guess', { ev1: 1 }, {}, 'option ev1 is unknown: expected one of'],
    ['the path prefix is in the name and the guess', { idleTimout: 1 }, { where: 'cookie.' }, 'option cookie.idleTimout is unknown: did you mean `cookie.idleTimeout`?'],
    ['a hint wins over a guess, when hints apply', { rolling: true }, { hints: true }, "option rolling is unknown: `rolling` → `cookie: { expiry: 'persistent' }`"],
    ['hints keyed by path', { maxAge: 1 }, { where: 'cookie.', hints: true }, 'option cookie.maxAge is unknown: `cookie.maxAge` → `idleTimeout`'],
    ['no hints unless asked', { rolling: true }, {}, 'option rolling is unknown: expected one of'],
  ];
  for (const [what, input, context, message] of cases) {
    it(`O1: ${what}`, () => {
      if (message === null) expect(() => checkOptionNames(input, KNOWN, context)).not.to.throw();
      else expect(() => checkOptionNames(input, KNOWN, context)).to.throw(SessionConfigError, message);
    });
  }

  it('O1: every message has one shape: option <path> is unknown: <detail>', () => {
    for (const name of [...Object.keys(OPTION_HINTS).filter((path) => !path.includes('.')), 'idleTimout', 'zzz']) {
      expect(() => checkOptionNames({ [name]: 1 }, KNOWN, { hints: true })).to.throw(SessionConfigError, new RegExp(`^option ${name} is unknown: \\S`));
    }
  });

  it("O1: the README's migration table is the table of hints, row for row", () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Migrating from express-session or koa-session'), readme.indexOf('## Options of `session()`'));
    const rows = section.split('\n').filter((line) => /^\| `[^`]+` \|/.test(line));
    expect(rows).to.deep.equal(Object.entries(OPTION_HINTS).map(([name, hint]) => `| \`${name}\` | ${hint.replaceAll('|', '\\|')} |`));
  });
});
