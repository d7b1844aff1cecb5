/** A point a test holds something at: `reached` settles when it arrives, `release()` lets it (and later arrivals) through. */
export interface Gate {
  /** Settles when the first arrival is held at the gate. */
  readonly reached: Promise<void>;
  /** True once {@link release} was called. */
  readonly released: boolean;
  /** Opens the gate for the held arrival and every later one. */
  release(): void;
}

/** The held side of a {@link Gate}, given to the code under test (a route, a store method). */
export interface HeldGate extends Gate {
  /** Marks the gate reached and resolves once it is released (at once if it already is). */
  pass(): Promise<void>;
}

/**
 * Makes a gate, so a test orders a race by events: it hands {@link HeldGate.pass} to the
 * code to hold, awaits {@link Gate.reached}, acts, then calls {@link Gate.release}.
 */
export function createGate(): HeldGate {
  let arrived: () => void = () => undefined;
  let opened: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  let released = false;
  return {
    reached,
    get released() {
      return released;
    },
    release() {
      released = true;
      opened();
    },
    pass() {
      arrived();
      return open;
    },
  };
}
