import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { SessionStoreError } from '../../src/errors.js';
import { boundedStoreCall } from '../../src/internal/timeout.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Lets the event loop run a few turns, long enough for Node to report unhandled rejections. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('internal/timeout: boundedStoreCall', () => {
  it('F1: passes through the value of a store call that answers in time', async () => {
    expect(await boundedStoreCall('load', 1_000, async () => 'value')).to.equal('value');
  });

  it('F1: a rejecting store call becomes a SessionStoreError (503) with the original error as cause', async () => {
    const cause = new Error('connection refused');
    const error = await rejection(boundedStoreCall('load', 1_000, () => Promise.reject(cause)));
    expect(error).to.be.instanceOf(SessionStoreError);
    expect(error).to.include({ code: 'ERR_SESSION_STORE', status: 503, operation: 'load', cause });
    expect((error as Error).message).to.equal('session store load failed: the store failed');
  });

  it('F1: a store call that throws synchronously becomes a SessionStoreError with the cause', async () => {
    const cause = new TypeError('boom');
    const error = await rejection(boundedStoreCall('commit', 1_000, () => {
      throw cause;
    }));
    expect(error).to.be.instanceOf(SessionStoreError);
    expect(error).to.include({ operation: 'commit', cause });
  });

  it('F1: a SessionStoreError from the call is passed on as it is', async () => {
    const original = new SessionStoreError('create', 'no free session id');
    expect(await rejection(boundedStoreCall('create', 1_000, () => Promise.reject(original)))).to.equal(original);
  });

  it('F1: a store call that never answers rejects with a SessionStoreError once the bound has passed, not before', async () => {
    const started = performance.now();
    const error = await rejection(boundedStoreCall('load', 50, () => new Promise<never>(() => undefined)));
    const elapsed = performance.now() - started;
    expect(error).to.be.instanceOf(SessionStoreError);
    expect((error as Error).message).to.equal('session store load failed: no answer within 50 ms');
    expect(elapsed).to.be.at.least(45).and.below(1_000);
  });

  it('F1: a store call that rejects after the bound is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', listener);
    try {
      let rejectLate: (reason: unknown) => void = () => undefined;
      const late = new Promise<never>((_, reject) => {
        rejectLate = reject;
      });
      const error = await rejection(boundedStoreCall('load', 10, () => late));
      expect(error).to.be.instanceOf(SessionStoreError);
      rejectLate(new Error('late failure'));
      await turns(5);
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });

  it('F1: calls sharing one timeout each get their own deadline, however many answer in between', async () => {
    const never = (): Promise<never> => new Promise<never>(() => undefined);
    const started = performance.now();
    const first = rejection(boundedStoreCall('load', 200, never)).then(() => performance.now() - started);
    // Calls that answer, before and after the second open one, must not move either deadline.
    await Promise.all(Array.from({ length: 50 }, () => boundedStoreCall('load', 200, async () => 'value')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const secondStarted = performance.now();
    const second = rejection(boundedStoreCall('load', 200, never)).then(() => performance.now() - secondStarted);
    await Promise.all(Array.from({ length: 50 }, () => boundedStoreCall('load', 200, async () => 'value')));
    const [firstElapsed, secondElapsed] = await Promise.all([first, second]);
    expect(firstElapsed, 'the first open call').to.be.at.least(195).and.below(1_000);
    expect(secondElapsed, 'the second, started 100 ms later').to.be.at.least(195).and.below(1_000);
  });

  describe('the process (a child Node process bounding one call with a 60 s timeout)', () => {
    const timeoutModule = fileURLToPath(new URL('../../src/internal/timeout.ts', import.meta.url));
    /** Runs `body` (with `boundedStoreCall` in scope) in a child process; resolves with its stdout and run time. */
    const runChild = (body: string): Promise<{ stdout: string; elapsedMs: number }> => new Promise((resolve, reject) => {
      const script = `const { boundedStoreCall } = await import(${JSON.stringify(timeoutModule)});\n${body}`;
      const started = performance.now();
      execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { timeout: 30_000 }, (error, stdout) => {
        if (error !== null) reject(error);
        else resolve({ stdout, elapsedMs: performance.now() - started });
      });
    });

    it('F1: exits as soon as its bounded calls have answered: the deadline timer does not hold it open', async () => {
      const { stdout, elapsedMs } = await runChild("console.log(await boundedStoreCall('load', 60_000, async () => 'answered'));");
      expect(stdout.trim()).to.equal('answered');
      expect(elapsedMs, 'well before the 60 s bound').to.be.below(20_000);
    });

    it('F1: stays up while a bounded call is open, until its deadline rejects it', async () => {
      const body = "boundedStoreCall('load', 300, () => new Promise(() => {})).catch((error) => console.log(error.message));";
      const { stdout } = await runChild(body);
      expect(stdout.trim()).to.equal('session store load failed: no answer within 300 ms');
    });
  });
});