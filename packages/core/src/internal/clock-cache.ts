interface Entry<V> {
  value: V;
  /** Set on each hit; eviction gives a used entry a second chance instead of moving it on every hit. */
  used: boolean;
}

/**
 * A bounded map evicting with the CLOCK algorithm (an approximation of least-recently-used):
 * a hit only sets a flag, so the hot path never reorders the map (docs/perf-notes.md#verify-cache).
 */
export class ClockCache<K, V> {
  readonly #map = new Map<K, Entry<V>>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: K): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.#max === 0) return;
    const existing = this.#map.get(key);
    if (existing !== undefined) {
      existing.value = value;
      existing.used = true;
      return;
    }
    while (this.#map.size >= this.#max) this.#evictOne();
    this.#map.set(key, { value, used: false });
  }

  #evictOne(): void {
    for (const [key, entry] of this.#map) {
      this.#map.delete(key);
      if (!entry.used) return;
      // Used since it was last looked at: a second chance, at the recent end.
      entry.used = false;
      this.#map.set(key, entry);
    }
  }

  get size(): number {
    return this.#map.size;
  }
}
