import { SessionHookError, SessionStoreError } from '../errors.js';

/** The cause given to `wrap` when the deadline passed: recognised by its class, not its text. */
export class DeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineError';
  }
}

/** One bounded call's place in its {@link DeadlineQueue}. */
class BoundedCall {
  settled = false;

  constructor(
    readonly deadline: number,
    /** Rejects the call's promise for a missed deadline; dropped once settled. */
    public expire: (() => void) | undefined,
  ) {}
}

/**
 * The calls in flight bounded by one timeout, in the order they started: with one timeout for
 * all of them, that is also the order of their deadlines. One timer, armed for the earliest
 * deadline that may still be open, serves them all, and holds the process open only while a
 * call is open. One timer per timeout, not one per call: see docs/perf-notes.md#timers.
 */
class DeadlineQueue {
  readonly #timeoutMs: number;
  /**
   * Open and settled calls from `#head` on. Settled ones at the front are dropped as they
   * settle, so `#calls[#head]` is always the open call with the earliest deadline, if any.
   */
  readonly #calls: BoundedCall[] = [];
  #head = 0;
  #open = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Starts bounding a call; `expire` runs if it is still open at its deadline. */
  add(expire: () => void): BoundedCall {
    const call = new BoundedCall(performance.now() + this.#timeoutMs, expire);
    this.#calls.push(call);
    this.#open += 1;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
    else if (this.#open === 1) this.#timer.ref();
    return call;
  }

  /** Settles a call that answered: true when it was still open (its deadline had not passed). */
  finish(call: BoundedCall): boolean {
    if (call.settled) return false;
    call.settled = true;
    call.expire = undefined;
    this.#open -= 1;
    if (this.#open === 0) this.#timer?.unref();
    this.#dropSettled();
    return true;
  }

  #dropSettled(): void {
    const calls = this.#calls;
    while (this.#head < calls.length && calls[this.#head]?.settled === true) this.#head += 1;
    if (this.#head === calls.length) {
      calls.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024) {
      calls.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** Arms the timer; only ever while a call is open, so it holds the process open (until `finish` unrefs it). */
  #arm(delayMs: number): void {
    this.#timer = setTimeout(() => this.#expireDue(), delayMs);
  }

  /** The timer: expires every open call whose deadline has passed, then re-arms for the next. */
  #expireDue(): void {
    this.#timer = undefined;
    const now = performance.now();
    let call = this.#calls[this.#head];
    while (call !== undefined && call.deadline <= now) {
      const expire = call.expire;
      this.finish(call);
      expire?.();
      call = this.#calls[this.#head];
    }
    if (call !== undefined) this.#arm(Math.max(1, Math.ceil(call.deadline - now)));
  }
}

/** One queue per timeout in use (an engine has one: `storeTimeoutMs`). */
const queues = new Map<number, DeadlineQueue>();

function queueFor(timeoutMs: number): DeadlineQueue {
  let queue = queues.get(timeoutMs);
  if (queue === undefined) {
    queue = new DeadlineQueue(timeoutMs);
    queues.set(timeoutMs, queue);
  }
  return queue;
}

/**
 * Runs `call` bounded in time. A rejection becomes `wrap(name, cause)`, a missed deadline
 * `wrap(name, new DeadlineError(timeoutMs))`; a late answer or rejection of the abandoned call
 * is absorbed, never unhandled (SPEC F1, F4). `wrap` takes the call's name, so no closure is
 * made per call: see docs/perf-notes.md#timers.
 */
export function withDeadline<T>(
  timeoutMs: number,
  call: () => T | Promise<T>,
  wrap: (name: string, cause: unknown) => Error,
  name: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(call());
    } catch (cause) {
      reject(wrap(name, cause));
      return;
    }
    const queue = queueFor(timeoutMs);
    const bounded = queue.add(() => reject(wrap(name, new DeadlineError(timeoutMs))));
    // After the deadline `finish` answers false and the answer is dropped, so a late
    // rejection of the abandoned call is absorbed here, never unhandled.
    pending.then(
      (value) => {
        if (queue.finish(bounded)) resolve(value);
      },
      (cause: unknown) => {
        if (queue.finish(bounded)) reject(wrap(name, cause));
      },
    );
  });
}

function storeError(operation: string, cause: unknown): Error {
  if (cause instanceof SessionStoreError) return cause;
  return new SessionStoreError(operation, cause instanceof DeadlineError ? cause.message : 'the store failed', { cause });
}

function hookError(hook: string, cause: unknown): Error {
  return new SessionHookError(hook, { cause });
}

/** One store call bounded in time: any failure is a {@link SessionStoreError} (SPEC F1). */
export function boundedStoreCall<T>(operation: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, storeError, operation);
}

/** One application hook call bounded in time: any failure is a {@link SessionHookError} (SPEC F4). */
export function boundedHookCall<T>(hook: string, timeoutMs: number, call: () => T | Promise<T>): Promise<T> {
  return withDeadline(timeoutMs, call, hookError, hook);
}
