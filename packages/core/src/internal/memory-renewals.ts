/** Where a renewed id leads, and until when (SPEC P2). */
interface Pointer {
  renewedTo: string;
  until: number;
}

/**
 * `MemoryStore`'s renewal pointers (SPEC P2): the ids `renew` replaced, each leading to the
 * id it was renewed to until its grace ends. A pointer holds no data; a lapsed one is dropped
 * when next read and by the store's sweep.
 */
export class MemoryRenewals {
  readonly #pointers = new Map<string, Pointer>();

  /** `oldId` leads to `newId` until `until`. */
  add(oldId: string, newId: string, until: number): void {
    this.#pointers.set(oldId, { renewedTo: newId, until });
  }

  /** The id `id` was renewed to, while its pointer lasts at `now`. */
  target(id: string, now: number): string | undefined {
    const pointer = this.#pointers.get(id);
    if (pointer === undefined) return undefined;
    if (now < pointer.until) return pointer.renewedTo;
    this.#pointers.delete(id);
    return undefined;
  }

  /** Drops the pointer at `id`, if any. */
  delete(id: string): void {
    this.#pointers.delete(id);
  }

  /** Drops every pointer whose grace has ended. */
  sweep(now: number): void {
    for (const [id, pointer] of this.#pointers) {
      if (now >= pointer.until) this.#pointers.delete(id);
    }
  }
}
