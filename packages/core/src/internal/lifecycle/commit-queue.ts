/**
 * The commits of one request, run one after another: `save()` calls, and the final commit as
 * the response starts. A request that commits once (most) or never creates no queue at all.
 */
export class CommitQueue {
  /** The last commit enqueued, settled either way. */
  #tail: Promise<unknown> = Promise.resolve();
  #running = 0;
  /** The final commit, once started. */
  final: Promise<void> | undefined;
  /** Whether the final commit has settled. */
  finalSettled = false;

  /** Runs `commit` after the commits before it; answers its own outcome. */
  enqueue(commit: () => Promise<void>): Promise<void> {
    this.#running += 1;
    const run = this.#running === 1 ? commit() : this.#tail.then(commit);
    this.#tail = run.then(() => this.#finish(), () => this.#finish());
    return run;
  }

  /** True while a commit runs or waits. */
  get busy(): boolean {
    return this.#running > 0;
  }

  /** Settles when every commit enqueued so far has, whatever their outcome. */
  idle(): Promise<unknown> {
    return this.#tail;
  }

  #finish(): void {
    this.#running -= 1;
  }
}
