import fc from 'fast-check';
import type { Choice } from './interleaving.js';
import { SEED, type BatchReport, type Outcome, type ReadBack } from './lifecycle-app.js';

/** One request of a batch, all on the same session cookie. */
export type Command =
  | { kind: 'set'; key: string; value: string }
  | { kind: 'unset'; key: string }
  | { kind: 'regenerate' }
  | { kind: 'login'; userId: string }
  | { kind: 'destroy' }
  | { kind: 'logout' };

const OLD_KEYS = ['a', 'b', 'c', 'd', 'e'];

/** 1–5 writes of distinct keys: overwrite or delete a seeded key, or add a new one. */
export const writes = (min: number, max: number): fc.Arbitrary<Command[]> =>
  fc.array(fc.constantFrom('add', 'overwrite', 'delete'), { minLength: min, maxLength: max }).map((kinds) => kinds.map((kind, i): Command =>
    kind === 'add' ? { kind: 'set', key: `n${i}`, value: `w${i}` } : kind === 'overwrite' ? { kind: 'set', key: OLD_KEYS[i]!, value: `w${i}` } : { kind: 'unset', key: OLD_KEYS[i]! }));
export const loginLike: fc.Arbitrary<Command> = fc.oneof(fc.constant<Command>({ kind: 'regenerate' }), fc.constantFrom('u1', 'u2').map((userId): Command => ({ kind: 'login', userId })));
export const ending: fc.Arbitrary<Command> = fc.constantFrom<Command>({ kind: 'logout' }, { kind: 'destroy' });

/** A batch: the given parts, started in a random order, and the choices of its interleaving (~1 in 12 an injected fault). */
export const scenario = (...parts: Array<fc.Arbitrary<Command[]>>) => fc.record({
  loggedIn: fc.boolean(),
  commands: fc.tuple(...parts).map((lists) => lists.flat()).chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length })),
  choices: fc.array(fc.record<Choice>({ pick: fc.nat({ max: 11 }), fail: fc.oneof({ weight: 11, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) }), { maxLength: 24 }),
});

const ok = (o: Outcome) => o.status >= 200 && o.status < 300;
const isWrite = (o: Outcome) => o.command.kind === 'set' || o.command.kind === 'unset';
const isLogin = (o: Outcome) => o.command.kind === 'login' || o.command.kind === 'regenerate';
const isEnd = (o: Outcome) => o.command.kind === 'destroy' || o.command.kind === 'logout';
/** Acknowledged on the old session: 2xx, and the request saw that session's data. */
const ackedOnOld = (o: Outcome) => ok(o) && o.json['seen'] === 'S0';
const anonymous = (read: ReadBack) => Object.keys(read.data).length === 0 && read.userId === null;

/**
 * The model: what the old session's data must be after the batch. A write acknowledged on it
 * has its effect; a write not acknowledged may or may not; every other key keeps its seed.
 */
function allowedValues(outcomes: Outcome[]): Map<string, Set<string | undefined>> {
  const allowed = new Map<string, Set<string | undefined>>(Object.entries(SEED).map(([key, value]) => [key, new Set([value])]));
  for (const o of outcomes.filter(isWrite)) {
    const command = o.command as { key: string; value?: string };
    const effect = o.command.kind === 'set' ? command.value : undefined;
    const before = SEED[command.key];
    allowed.set(command.key, new Set(ackedOnOld(o) ? [effect] : [before, effect]));
  }
  return allowed;
}

/** Where `read` differs from the model, ignoring the keys that login-like requests add. */
function modelDiff(read: ReadBack, outcomes: Outcome[]): string[] {
  const allowed = allowedValues(outcomes);
  const keys = new Set([...allowed.keys(), ...Object.keys(read.data)].filter((key) => key !== 'who'));
  const diff: string[] = [];
  for (const key of keys) {
    const value = read.data[key] as string | undefined;
    const options = allowed.get(key) ?? new Set([undefined]);
    if (!options.has(value)) diff.push(`${key} is ${JSON.stringify(value)}, expected ${[...options].map((v) => JSON.stringify(v)).join(' or ')}`);
  }
  return diff;
}

/** Did the logout/destroy remove the live old session before any login moved it (store order)? */
function endWonRace(report: BatchReport, end: Outcome): boolean {
  const destroyed = report.trace.findIndex((line) => line.startsWith(`${end.name} destroy(S0) → `));
  const moved = report.trace.findIndex((line) => / replace\(S0→[^)]*\) → created/.test(line));
  return destroyed >= 0 && (moved < 0 || destroyed < moved);
}

/** (v) No request hangs or fails, but a 503 of a request whose store call was failed on purpose (SPEC F1). */
export function checkNoHangNo5xx(report: BatchReport): string[] {
  return report.outcomes.flatMap((o) => {
    if (o.status === 0) return [`${o.name}: no answer (${o.failure ?? 'none'})`];
    if (o.status >= 500 && !(o.status === 503 && o.faulted)) return [`${o.name}: answered ${o.status} ${JSON.stringify(o.json)}`];
    return [];
  });
}

/** (i) Concurrent writes of different keys all persist; a deleted key stays deleted (SPEC T4, T8). */
export function checkConcurrentKeys(report: BatchReport): string[] {
  const refused = report.outcomes.filter((o) => !o.faulted && !ackedOnOld(o)).map((o) => `${o.name}: not acknowledged on the live session (${o.status} ${JSON.stringify(o.json)})`);
  return [...refused, ...modelDiff(report.old, report.outcomes).map((d) => `old session: ${d}`)];
}

/** (ii) A write acknowledged on the old id while a login was in flight is in the new session (SPEC T6, T8 v2). */
export function checkLoginKeepsWrites(report: BatchReport): string[] {
  const login = report.outcomes.find(isLogin)!;
  if (!ok(login)) return modelDiff(report.old, report.outcomes).map((d) => `login refused, so the old session keeps the writes: ${d}`);
  const fresh = report.issued.get(login.name);
  if (fresh === undefined) return [`${login.name}: answered ${login.status} but issued no session cookie (cleared: ${login.cleared})`];
  const violations = modelDiff(fresh, report.outcomes).map((d) => `new session of ${login.name}: ${d}`);
  if (!anonymous(report.old)) violations.push(`the old cookie still works after the login (T6): ${JSON.stringify(report.old)}`);
  return violations;
}

/** (iii) A destroyed or logged-out session is never resurrected, and its cookie replays as anonymous (SPEC T8, L5). */
export function checkNoResurrection(report: BatchReport): string[] {
  const end = report.outcomes.find(isEnd)!;
  const violations: string[] = [];
  const ended = ok(end) && (end.command.kind === 'destroy' || end.json['revoked'] === true);
  if (ended && !anonymous(report.old)) violations.push(`the old cookie is not anonymous after ${end.name} (L5): ${JSON.stringify(report.old)}`);
  for (const [name, read] of report.issued) {
    const carriedByWinningLogin = isLogin(report.outcomes.find((o) => o.name === name)!) && !endWonRace(report, end);
    if (ended && read.data['marker'] === 'S0' && !carriedByWinningLogin) violations.push(`${name} handed out the ended session's data under a new id: ${JSON.stringify(read)}`);
  }
  return violations;
}

/** (iv) A login racing a logout never answers 2xx while clearing its cookie; a fresh session holds none of the destroyed data (SPEC T8 v2). */
export function checkLoginRacingLogout(report: BatchReport): string[] {
  const login = report.outcomes.find(isLogin)!;
  const end = report.outcomes.find(isEnd)!;
  if (!ok(login)) return [];
  const violations: string[] = [];
  if (login.cleared) violations.push(`${login.name} answered ${login.status} "logged in" while clearing the session cookie`);
  const fresh = report.issued.get(login.name);
  if (fresh === undefined) return [...violations, `${login.name} answered ${login.status} without a live session cookie`];
  const loggedIn = login.command.kind === 'login' ? fresh.userId === login.command.userId : fresh.data['who'] === 'regenerated';
  if (!loggedIn) violations.push(`${login.name}'s new session is not logged in: ${JSON.stringify(fresh)}`);
  const leaked = Object.keys(SEED).filter((key) => key in fresh.data && fresh.data[key] === SEED[key]);
  if (endWonRace(report, end) && leaked.length > 0) violations.push(`${login.name}'s new session holds the destroyed session's data (${leaked.join(', ')})`);
  return violations;
}
