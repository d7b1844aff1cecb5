/**
 * Waits `ms` milliseconds of real time. Only for letting a server-side deadline pass (an idle
 * timeout, a cookie's Max-Age): a race between requests or store calls is ordered by a gate
 * ({@link ObservedStore.pause}, {@link ObservedStore.reached}, {@link createGate}), never by
 * this.
 */
export function elapse(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
