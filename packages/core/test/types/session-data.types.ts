/**
 * Compile-time proof of SPEC O2: checked by `tsc -p tsconfig.json` (this file is in its
 * program), never run. Each `@ts-expect-error` fails the type check when its line compiles.
 */
import type { JsonChecked, JsonValue, Session } from '../../src/session.js';

interface Prefs {
  theme: string;
  sizes: number[];
  nested: { on: boolean; note?: string };
}

declare module '../../src/session.js' {
  interface SessionData {
    typesTestCount: number;
    typesTestPrefs: Prefs;
    typesTestWhen: Date;
    typesTestSeen: Set<string>;
    typesTestLookup: Map<string, number>;
    typesTestCallback: () => void;
    typesTestBig: bigint;
    typesTestHoles: Array<string | undefined>;
    typesTestMaybe: { value: string | undefined };
  }
}

declare const session: Session;
declare const prefs: Prefs;

// JSON types, interfaces included, are accepted.
session.typesTestCount = 1;
session.typesTestPrefs = prefs;
session.typesTestPrefs = { theme: 'dark', sizes: [1, 2], nested: { on: true } };
delete session.typesTestCount;
const read: number | undefined = session.typesTestCount;
void read;

// @ts-expect-error a Date is not JSON
session.typesTestWhen = new Date();
// @ts-expect-error a Set is not JSON
session.typesTestSeen = new Set<string>();
// @ts-expect-error a Map is not JSON
session.typesTestLookup = new Map<string, number>();
// @ts-expect-error a function is not JSON
session.typesTestCallback = () => undefined;
// @ts-expect-error a BigInt is not JSON
session.typesTestBig = 1n;
// @ts-expect-error undefined inside an array is not JSON
session.typesTestHoles = ['a', undefined];
// @ts-expect-error undefined as a property value is not JSON
session.typesTestMaybe = { value: undefined };
// @ts-expect-error a declared number key takes no string
session.typesTestCount = 'one';

// JsonValue itself: the type of a value known to be JSON.
const values: JsonValue[] = ['s', 1, true, null, [1, ['x']], { a: { b: [null] } }];
void values;
// @ts-expect-error a Date is not a JsonValue
const date: JsonValue = new Date();
void date;
// @ts-expect-error undefined is not a JsonValue
const missing: JsonValue = undefined;
void missing;

// JsonChecked on its own.
const checked: JsonChecked<Prefs> = prefs;
void checked;
// @ts-expect-error JsonChecked<Date> is never
const never: JsonChecked<Date> = new Date();
void never;
