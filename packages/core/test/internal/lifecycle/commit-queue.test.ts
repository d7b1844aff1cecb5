import { expect } from 'chai';
import { CommitQueue } from '../../../src/internal/lifecycle/commit-queue.js';
import { deferred, turn, type Deferred } from '../../support/deferred.js';

/** A commit whose end the test decides; `started` records when it began. */
function gatedCommit(log: string[], name: string): { run: () => Promise<void>; gate: Deferred } {
  const gate = deferred();
  return {
    gate,
    run: async () => {
      log.push(`${name} started`);
      await gate.promise;
      log.push(`${name} ended`);
    },
  };
}

describe('lifecycle: CommitQueue', () => {
  it('T4, T7: commits run one after another, in the order enqueued, each starting once the one before has ended', async () => {
    const queue = new CommitQueue();
    const log: string[] = [];
    const [first, second, third] = [gatedCommit(log, 'first'), gatedCommit(log, 'second'), gatedCommit(log, 'third')];
    const outcomes = [queue.enqueue(first.run), queue.enqueue(second.run), queue.enqueue(third.run)];
    await turn();
    expect(log).to.deep.equal(['first started']);
    third.gate.resolve();
    second.gate.resolve();
    await turn();
    expect(log, 'the later commits wait for the first, even when their own work could end').to.deep.equal(['first started']);
    first.gate.resolve();
    await Promise.all(outcomes);
    expect(log).to.deep.equal(['first started', 'first ended', 'second started', 'second ended', 'third started', 'third ended']);
  });

  it('T7: the first commit of an idle queue starts at once, in the same turn', () => {
    const queue = new CommitQueue();
    let started = false;
    void queue.enqueue(async () => {
      started = true;
    });
    expect(started).to.equal(true);
  });

  it('busy is true while a commit runs or waits, and false once every commit has settled; idle() settles then', async () => {
    const queue = new CommitQueue();
    expect(queue.busy, 'a new queue').to.equal(false);
    const log: string[] = [];
    const first = gatedCommit(log, 'first');
    const second = gatedCommit(log, 'second');
    void queue.enqueue(first.run);
    void queue.enqueue(second.run);
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    first.gate.resolve();
    await turn();
    expect(log).to.include('second started');
    expect({ busy: queue.busy, idle }, 'the second commit still runs').to.deep.equal({ busy: true, idle: false });
    second.gate.resolve();
    await queue.idle();
    expect({ busy: queue.busy, idle }).to.deep.equal({ busy: false, idle: true });
  });

  it('idle() of a queue that never ran a commit settles at once', async () => {
    const queue = new CommitQueue();
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    await turn();
    expect(idle).to.equal(true);
  });

  it('F1: a rejected commit does not block the next one; each enqueue answers its own outcome', async () => {
    const queue = new CommitQueue();
    const failure = new Error('store down');
    const failing = queue.enqueue(() => Promise.reject(failure));
    let ran = false;
    const next = queue.enqueue(async () => {
      ran = true;
    });
    const outcomes = await Promise.allSettled([failing, next]);
    expect(outcomes).to.deep.equal([{ status: 'rejected', reason: failure }, { status: 'fulfilled', value: undefined }]);
    expect(ran).to.equal(true);
    await queue.idle();
    expect(queue.busy).to.equal(false);
  });

  it('F1: idle() resolves, never rejects, when the last commit rejected', async () => {
    const queue = new CommitQueue();
    queue.enqueue(() => Promise.reject(new Error('store down'))).catch(() => undefined);
    const outcome = await queue.idle().then(() => 'resolved', () => 'rejected');
    expect(outcome).to.equal('resolved');
    expect(queue.busy).to.equal(false);
  });

  it('a commit enqueued after the queue went idle starts at once again', async () => {
    const queue = new CommitQueue();
    await queue.enqueue(async () => undefined);
    await queue.idle();
    let started = false;
    void queue.enqueue(async () => {
      started = true;
    });
    expect(started).to.equal(true);
  });
});
