import { SessionDataError } from '../errors.js';

/** A key of an object that can go into a path as `.key`; others are written `["key"]`. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Finds an accessor without allocating a descriptor per property (docs/perf-notes.md#issue-13-json-only-session-values-o2). */
const lookupGetter = (Object.prototype as { __lookupGetter__(this: object, key: string): unknown }).__lookupGetter__;

function segment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** What an object of another kind is, by its constructor's name: `a Date`, `a Map`, `an Error`. */
function describeObject(value: object, proto: object): string {
  const constructor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
  const name = typeof constructor === 'function' ? constructor.name : '';
  if (Array.isArray(value)) return `is an array of another kind${name === '' ? '' : ` (${name})`}`;
  if (name === '') return 'is an object with a prototype other than Object.prototype';
  return /^[AEIO]/.test(name) ? `is an ${name}` : `is a ${name}`;
}

/** What is wrong with a primitive, or undefined when JSON keeps it as it is. */
function primitiveProblem(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (Number.isFinite(value)) return undefined;
      return Number.isNaN(value) ? 'is NaN' : `is ${String(value)}`;
    case 'undefined':
      return 'is undefined';
    case 'function':
      return 'is a function';
    case 'symbol':
      return 'is a symbol';
    case 'bigint':
      return 'is a BigInt';
    default:
      return value === null ? undefined : 'is not a JSON value';
  }
}

/**
 * One walk over a value, answering the first part that would not come back unchanged from
 * `JSON.parse(JSON.stringify(value))`. On a problem, `path` holds the keys and indices down to
 * it, innermost first; never a value (SPEC F5).
 */
class JsonWalk {
  readonly path: string[] = [];
  readonly #ancestors: object[] = [];

  problem(value: unknown): string | undefined {
    if (typeof value !== 'object' || value === null) return primitiveProblem(value);
    if (this.#ancestors.includes(value)) return 'is a circular reference';
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === Array.prototype) return this.#array(value as unknown[]);
    if (proto === Object.prototype || proto === null) return this.#object(value as Record<string, unknown>);
    return describeObject(value, proto);
  }

  #array(array: unknown[]): string | undefined {
    this.#ancestors.push(array);
    for (let index = 0; index < array.length; index += 1) {
      const item = array[index];
      // JSON writes both a hole and undefined as null.
      const problem = item === undefined ? (index in array ? 'is undefined' : 'is a hole (a sparse array)') : this.problem(item);
      if (problem !== undefined) {
        this.path.push(`[${index}]`);
        return problem;
      }
    }
    this.#ancestors.pop();
    return undefined;
  }

  #object(object: Record<string, unknown>): string | undefined {
    this.#ancestors.push(object);
    for (const key in object) {
      // A getter's answer, not the getter, would be stored; and a toJSON method is a function.
      const problem = lookupGetter.call(object, key) === undefined ? this.problem(object[key]) : 'is a getter';
      if (problem !== undefined) {
        this.path.push(segment(key));
        return problem;
      }
    }
    this.#ancestors.pop();
    return undefined;
  }
}

/**
 * Throws {@link SessionDataError} unless `value`, stored under the session key `key`, comes
 * back unchanged from a JSON round trip (SPEC O2): strings, finite numbers, booleans, null,
 * and arrays (without holes) and plain objects (prototype `Object.prototype` or null, no
 * getters) of those, without cycles. The message names the key and the path inside the
 * value, never the value (SPEC F5): `session key "cart" is not JSON: cart[2].at is a Date`.
 * A top-level `undefined` deletes the key and is the caller's to allow.
 */
export function checkJsonValue(key: string, value: unknown): void {
  // Primitives without allocating a walk: the common `session.counter = n`.
  if (typeof value !== 'object' || value === null) {
    const problem = primitiveProblem(value);
    if (problem !== undefined) throw notJson(key, [], problem);
    return;
  }
  const walk = new JsonWalk();
  let problem: string | undefined;
  try {
    problem = walk.problem(value);
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new SessionDataError(`session key ${JSON.stringify(key)} is not JSON: it nests too deeply`, { cause });
  }
  if (problem !== undefined) throw notJson(key, walk.path.reverse(), problem);
}

/** The error for a value under `key` that is not JSON: `path` leads from the key to the `problem`. */
export function notJson(key: string, path: string[], problem: string): SessionDataError {
  const root = IDENTIFIER.test(key) ? key : `[${JSON.stringify(key)}]`;
  return new SessionDataError(`session key ${JSON.stringify(key)} is not JSON: ${root}${path.join('')} ${problem}`);
}
