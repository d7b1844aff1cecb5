import type { Store } from '@sessionware/core';

/** One scheduling decision: which waiting store call goes next, and whether it fails instead. */
export interface Choice {
  pick: number;
  fail: boolean;
}

/** A store call held until the driver lets it run. */
interface Step {
  request: number;
  label: string;
  run(): void;
  fail(): void;
}

/** The error an injected store fault rejects with (the engine turns it into a 503, SPEC F1). */
export class InjectedFault extends Error {
  constructor() {
    super('injected store fault');
  }
}

/**
 * Forces interleavings of concurrent requests at store-call granularity. While a batch runs,
 * every call on {@link store} waits; once every unfinished request waits on one (or has
 * answered), the next {@link Choice} picks the call that runs (or fails) next. Only that
 * request moves until it waits again or answers, so a list of choices is one exact,
 * replayable interleaving, and fast-check can shrink it. Calls outside a batch pass through.
 */
export class Interleaver {
  /** The wrapped store: give this one to the app. Any Store method is held, whatever its signature. */
  readonly store: Store;
  /** What ran, in order: `<request> <method>(<ids>) → <result>`, or `✗` for an injected fault. */
  readonly trace: string[] = [];
  /** Requests (by index) that had a store call failed on purpose. */
  readonly faulted = new Set<number>();
  readonly #names = new Map<string, string>();
  #requestNames: string[] = [];
  #pending: Step[] = [];
  #active = false;
  #current = -1;
  #wake: () => void = () => undefined;

  constructor(inner: Store) {
    this.store = new Proxy(inner, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          return this.#active ? this.#hold(String(property), args, call) : call();
        };
      },
    });
  }

  /** Names a session id in the trace (e.g. `S0`); other ids are named `N1`, `N2`… as they appear. */
  name(id: string, label: string): void {
    this.#names.set(id, label);
  }

  #label(value: unknown): string {
    if (typeof value !== 'string') return '…';
    let label = this.#names.get(value);
    if (label === undefined) {
      label = value.length > 40 ? `N${this.#names.size}` : value;
      this.#names.set(value, label);
    }
    return label;
  }

  #hold(method: string, args: unknown[], call: () => Promise<unknown>): Promise<unknown> {
    const ids = method === 'replace' ? `${this.#label(args[0])}→${this.#label(args[1])}` : this.#label(args[0]);
    const request = this.#current;
    const who = this.#requestNames[request] ?? 'background';
    return new Promise((resolve, reject) => {
      this.#pending.push({
        request,
        label: `${who} ${method}(${ids})`,
        run: () => {
          call().then((result) => {
            this.trace.push(`${who} ${method}(${ids}) → ${typeof result === 'string' ? result : 'ok'}`);
            resolve(result);
          }, (error: unknown) => {
            this.trace.push(`${who} ${method}(${ids}) ✗ ${String(error)}`);
            reject(error);
          });
        },
        fail: () => {
          this.faulted.add(request);
          this.trace.push(`${who} ${method}(${ids}) ✗ injected fault`);
          reject(new InjectedFault());
        },
      });
      this.#wake();
    });
  }

  /** Waits (without sleeping) until `ready()` holds, re-checked on every held call and every answer. */
  async #until(ready: () => boolean, deadline: number, what: () => string): Promise<void> {
    while (!ready()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no progress within the deadline (a hung request, SPEC F1): ${what()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * Starts `requests` one after another (each once it waits on its first store call), then
   * lets their store calls run one at a time as `choices` say (index 0 once they run out).
   * Rejects when some request makes no progress within `deadlineMs` (SPEC F1).
   */
  async run<T>(names: string[], requests: Array<() => Promise<T>>, choices: readonly Choice[], deadlineMs: number): Promise<T[]> {
    const deadline = performance.now() + deadlineMs;
    const results: T[] = [];
    const done = requests.map(() => false);
    const running: Array<Promise<void>> = [];
    const waiting = (i: number) => this.#pending.some((step) => step.request === i);
    const state = () => names.map((name, i) => `${name}: ${done[i] ? 'answered' : waiting(i) ? 'waits on the store' : 'running'}`).join('; ');
    this.#requestNames = names;
    this.#active = true;
    try {
      for (let i = 0; i < requests.length; i += 1) {
        this.#current = i;
        running.push(requests[i]!().then((result) => {
          results[i] = result;
          done[i] = true;
          this.#wake();
        }));
        await this.#until(() => done[i] === true || waiting(i), deadline, state);
      }
      for (let next = 0; !done.every(Boolean); next += 1) {
        await this.#until(() => done.every((d, i) => d || waiting(i)), deadline, state);
        if (done.every(Boolean)) break;
        const choice = choices[next] ?? { pick: 0, fail: false };
        const [step] = this.#pending.splice(choice.pick % this.#pending.length, 1);
        this.#current = step!.request;
        if (choice.fail) step!.fail();
        else step!.run();
      }
      return results;
    } finally {
      this.#active = false;
      for (const step of this.#pending.splice(0)) step.run();
      await Promise.allSettled(running);
    }
  }

  /** Clears the trace, the fault marks and the id names for the next batch. */
  reset(): void {
    this.trace.length = 0;
    this.faulted.clear();
    this.#names.clear();
  }
}
