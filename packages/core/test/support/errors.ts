import { expect } from 'chai';

/** What `call` threw, or undefined: for tests that compare a throw with plain Node's. */
export function thrownBy(call: () => void): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Fails every test of the enclosing describe that lets an error escape out of band (an
 * unhandled rejection, or also an uncaught exception): SPEC R1, R4, F4 say there is none.
 * Answers the collector, for code under test that takes an error hook.
 */
export function failOnStrayErrors(options: { uncaught?: boolean } = {}): (error: unknown) => void {
  const problems: unknown[] = [];
  const onProblem = (error: unknown): void => {
    problems.push(error);
  };
  beforeEach(() => {
    problems.length = 0;
    process.on('unhandledRejection', onProblem);
    if (options.uncaught === true) process.on('uncaughtException', onProblem);
  });
  afterEach(async () => {
    // Errors thrown out of band surface on a later turn: let them arrive before checking.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onProblem);
    process.off('uncaughtException', onProblem);
    expect(problems, 'nothing thrown out of band').to.deep.equal([]);
  });
  return onProblem;
}
