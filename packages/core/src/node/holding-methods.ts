/** The methods and getters a hold puts on its response, one shared set that finds the response's hold under a symbol. */
import { OutgoingMessage, ServerResponse } from 'node:http';
import type { Hold } from './hold.js';

/** A method of a response, as the hold calls it with the response as `this`. */
export type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** The methods a hold stands in front of while it lasts. */
export type HeldMethod = 'writeHead' | 'write' | 'end' | 'flushHeaders' | 'flush';
/** The state the hold answers for with getters of its own (the rest is Node's, from `_header`). */
export type HeldGetter = 'writableEnded' | 'writableNeedDrain';

/** Where the holding methods below find the hold of the response they are called on; module-private. */
const HOLD = Symbol('sessionware.hold');

/** The hold of the response `self` while it lasts; undefined once released, or for a response never held. */
export function holdOf(self: unknown): Hold | undefined {
  const hold = (self as { [HOLD]?: Hold } | null | undefined)?.[HOLD];
  return hold === undefined || hold.released ? undefined : hold;
}

/** What `key` was on `self` before its hold: the hold's record, else Node's own. */
function previous(self: unknown, key: HeldMethod): Method {
  const record = (self as { [HOLD]?: Hold } | null | undefined)?.[HOLD];
  return record?.previous[key] ?? (ServerResponse.prototype as unknown as Record<HeldMethod, Method>)[key];
}

function nativeGetter(key: HeldGetter): (this: unknown) => boolean {
  const getter = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, key)?.get;
  if (getter === undefined) throw new Error(`sessionware: OutgoingMessage.prototype.${key} is not a getter`);
  return getter as (this: unknown) => boolean;
}

/** The holding methods, one set for every held response, found under `HOLD` (shared shapes: docs/perf-notes.md#held-responses). */
const HOLDING_METHODS: Record<HeldMethod, Method> = {
  writeHead(...args) {
    const hold = holdOf(this);
    if (hold === undefined) return previous(this, 'writeHead').apply(this, args);
    hold.writeHead(args);
    return this;
  },
  write(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'write').apply(this, args) : hold.body('write', args);
  },
  end(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'end').apply(this, args) : hold.body('end', args);
  },
  flushHeaders(...args) {
    const hold = holdOf(this);
    return hold === undefined ? previous(this, 'flushHeaders').apply(this, args) : hold.body('flushHeaders', args);
  },
  // compression's flush pushes what its gzip stream holds: kept in order, or it would flush nothing.
  flush(...args) {
    const hold = holdOf(this);
    if (hold === undefined || !hold.headWritten) return previous(this, 'flush').apply(this, args);
    return hold.body('flush', args);
  },
};

const NATIVE_GETTERS: Record<HeldGetter, (this: unknown) => boolean> = {
  writableEnded: nativeGetter('writableEnded'),
  writableNeedDrain: nativeGetter('writableNeedDrain'),
};

const HOLDING_GETTERS: Record<HeldGetter, (this: unknown) => boolean> = {
  writableEnded() {
    const hold = holdOf(this);
    return hold === undefined ? NATIVE_GETTERS.writableEnded.call(this) : hold.phase === 'ended';
  },
  writableNeedDrain() {
    const hold = holdOf(this);
    return hold === undefined ? NATIVE_GETTERS.writableNeedDrain.call(this) : hold.needDrain;
  },
};

/** A getter of the hold's, added only when its state first differs from Node's (each property costs: docs/perf-notes.md#held-responses). */
export function defineGetter(hold: Hold, key: HeldGetter): void {
  Object.defineProperty(hold.res, key, { get: HOLDING_GETTERS[key], configurable: true, enumerable: false });
}

const WRITING: readonly HeldMethod[] = ['writeHead', 'write', 'end', 'flushHeaders'];

/** Puts `methods` of the hold on its response, plainly assigned as compression does (docs/perf-notes.md#held-responses). */
export function assign(hold: Hold, methods: readonly HeldMethod[]): void {
  const res = hold.res as unknown as Record<string, unknown>;
  for (const key of methods) {
    hold.previous[key] = res[key] as Method;
    res[key] = HOLDING_METHODS[key];
  }
}

/** The first stage, when the session changes: the methods that write the head or the body. */
export function install(hold: Hold): void {
  (hold.res as unknown as Record<symbol, unknown>)[HOLD] = hold;
  assign(hold, WRITING);
}

