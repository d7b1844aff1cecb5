// The text of every Lua script: its protocol named in its header, its helpers in an order
// that runs. Redis reports a helper called before its definition only when that line runs.
import { expect } from 'chai';
import type { LuaScript, ScriptParts } from '../../src/internal/script.js';
import { CREATE_SCRIPT } from '../../src/internal/scripts/create.js';
import { LIST_SCRIPT } from '../../src/internal/scripts/list.js';
import { LOAD_SCRIPT } from '../../src/internal/scripts/load.js';
import * as baseHelpers from '../../src/internal/scripts/lua-helpers.js';
import * as indexHelpers from '../../src/internal/scripts/lua-index-helpers.js';
import { MARK_CHANGED_SCRIPT } from '../../src/internal/scripts/mark-changed.js';
import { PEEK_SCRIPT } from '../../src/internal/scripts/peek.js';
import { RELEASE_SCRIPT } from '../../src/internal/scripts/release.js';
import { RENEW_SCRIPT } from '../../src/internal/scripts/renew.js';
import { REMOVE_SCRIPT } from '../../src/internal/scripts/remove.js';
import { REPLACE_SCRIPT } from '../../src/internal/scripts/replace.js';
import { RESERVE_SCRIPT } from '../../src/internal/scripts/reserve.js';
import { REVOKE_SCRIPT } from '../../src/internal/scripts/revoke.js';
import { TAKE_SCRIPT } from '../../src/internal/scripts/take.js';
import { UPDATE_SCRIPT } from '../../src/internal/scripts/update.js';

const SCRIPTS: Record<string, LuaScript & ScriptParts> = {
  CREATE_SCRIPT, LIST_SCRIPT, LOAD_SCRIPT, MARK_CHANGED_SCRIPT, PEEK_SCRIPT, RELEASE_SCRIPT, REMOVE_SCRIPT, RENEW_SCRIPT,
  REPLACE_SCRIPT, RESERVE_SCRIPT, REVOKE_SCRIPT, TAKE_SCRIPT, UPDATE_SCRIPT,
};

/** The helpers of both helper modules. */
const helpers: Record<string, string> = { ...baseHelpers, ...indexHelpers };

/** KEYS or ARGV indexed by a literal number. */
const LITERAL_INDEX = /\b(?:KEYS|ARGV)\[\s*\d/;

/** The names of the helper functions `lua-helpers.ts` defines. */
const HELPER_NAMES = Object.values(helpers).flatMap((lua) => [...lua.matchAll(/local function (\w+)/g)].map((match) => match[1] ?? ''));

describe('the Lua scripts\' text', () => {
  it('the helpers define the functions the scripts call', () => {
    expect(HELPER_NAMES).to.include.members(['stateOf', 'isFree', 'isLive', 'batchedList', 'batched', 'dataFields', 'sessionKeyOf', 'unindex', 'index', 'withinLimit', 'write', 'renewedKeyOf', 'currentOf', 'taggedKeyOf']);
    for (const [name, lua] of Object.entries(helpers)) expect(lua, name).to.not.match(LITERAL_INDEX);
  });

  for (const [name, script] of Object.entries(SCRIPTS)) {
    it(`${name}: its header names its KEYS and ARGV in one local a line; nothing after it indexes them by a literal number`, () => {
      const lines = script.header.split('\n').filter((line) => line.trim() !== '');
      expect(lines, 'a header').to.not.have.length(0);
      for (const line of lines) expect(line, 'a header line').to.match(/^local [A-Za-z]\w* = \S.*$/);
      expect(lines.join('\n'), 'the header reads KEYS or ARGV').to.match(/\b(?:KEYS|ARGV)\[/);
      expect(script.body, 'the body').to.not.match(LITERAL_INDEX);
      expect(script.lua, 'the script is its parts').to.equal([helpers.FIELD_NAMES, ...script.helpers, script.header, script.body].join(''));
    });

    it(`T9: ${name}: every helper it calls is defined before the first call, once`, () => {
      for (const helper of HELPER_NAMES) {
        const definitions = [...script.lua.matchAll(new RegExp(`local function ${helper}\\(`, 'g'))].map((match) => match.index);
        const calls = [...script.lua.matchAll(new RegExp(`(?<!function )\\b${helper}\\(`, 'g'))].map((match) => match.index);
        if (calls.length === 0) continue;
        expect(definitions, `${helper} defined once`).to.have.length(1);
        expect(Math.min(...calls), `${helper} called after its definition`).to.be.greaterThan(definitions[0] ?? Infinity);
      }
    });
  }
});
