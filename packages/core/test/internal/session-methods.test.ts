import { expect } from 'chai';
import { answerInForm } from '../../src/internal/session-methods.js';
import { failOnStrayErrors, thrownBy } from '../support/errors.js';

/** The express-session method forms (SPEC R4, F4): callback once, error first, on a later turn; a promise without one. */

const failure = new Error('store down');

/** Work in each shape a session method's work may have, with what it ends in. */
const works: Array<[string, () => Promise<void> | void, Error | null]> = [
  ['synchronous work', () => undefined, null],
  ['work that throws synchronously', () => {
    throw failure;
  }, failure],
  ['work that resolves', () => Promise.resolve(), null],
  ['work that rejects', () => Promise.reject(failure), failure],
];

/** Resolves on the turn after `call` has had every chance to call its callback again. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('internal: answerInForm', () => {
  const onProblem = failOnStrayErrors();

  for (const [name, work, outcome] of works) {
    it(`R4: with a callback, ${name} calls it exactly once, with ${outcome === null ? 'null' : 'the error'} first, on a later turn; nothing returned`, async () => {
      const calls: unknown[][] = [];
      let synchronous = true;
      const returned = answerInForm(work, (...args: unknown[]) => calls.push([synchronous, ...args]), onProblem);
      synchronous = false;
      expect(returned).to.equal(undefined);
      await settle();
      expect(calls).to.deep.equal([[false, outcome]]);
    });

    it(`R4: without a callback, ${name} answers a promise that ${outcome === null ? 'resolves' : 'rejects with the error'}, never throws at the call`, async () => {
      let returned: unknown;
      const atCall = thrownBy(() => {
        returned = answerInForm(work, undefined, onProblem);
      });
      expect(atCall, 'thrown at the call').to.equal(undefined);
      expect(returned).to.be.instanceOf(Promise);
      const result = await (returned as Promise<void>).then(() => null, (error: unknown) => error);
      expect(result).to.equal(outcome);
    });

    it(`R4, F4: with ${name}, a callback that throws goes to the error path once, not to an unhandled rejection`, async () => {
      const thrown = new Error('callback bug');
      const reported: unknown[] = [];
      let calls = 0;
      answerInForm(work, () => {
        calls += 1;
        throw thrown;
      }, (error) => reported.push(error));
      await settle();
      expect(calls).to.equal(1);
      expect(reported).to.deep.equal([thrown]);
    });
  }

  const notCallbacks: Array<[string, unknown]> = [['null', null], ['a string', 'cb'], ['an object', {}]];
  for (const [name, callback] of notCallbacks) {
    it(`R4: ${name} in the callback's place is no callback: a promise is answered`, async () => {
      const returned = answerInForm(() => Promise.resolve(), callback, onProblem);
      expect(returned).to.be.instanceOf(Promise);
      await returned;
    });
  }
});

