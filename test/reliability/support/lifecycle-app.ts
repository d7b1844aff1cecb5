import type { SessionUserAttributes } from '@sessionware/core';
import type { AdapterTarget, RunningApp, SuiteRoute } from '../../adapters/target.js';
import type { BackendStore } from '../../adapters/backend.js';
import { isClearing } from '@sessionware/test-support';
import { KeepAliveClient, type Answer } from './client.js';
import { Interleaver, type Choice } from './interleaving.js';
import type { Command } from './lifecycle-model.js';

/** The session's data before the batch: `marker` tells whether a request saw this session (SPEC T8 v2). */
export const SEED: Record<string, string> = { marker: 'S0', a: 'a0', b: 'b0', c: 'c0', d: 'd0', e: 'e0' };
const SECRET = 'reliability-lifecycle-secret-6c1f0e9d8b7a6c5d4e3f2a1b0c9d8e7f';
/** Far above a batch's deadline, so only a real hang (never the interleaving) reaches it. */
const STORE_TIMEOUT_MS = 20_000;
const BATCH_DEADLINE_MS = 8_000;

/** Every route answers what the request saw of the session before it changed it. */
const seen = (session: Record<string, unknown>) => session['marker'] ?? null;
const routes: SuiteRoute[] = [
  { method: 'POST', path: '/seed', handler: ({ session, body }) => {
    Object.assign(session, body['data']);
    return { json: { ok: true } };
  } },
  { method: 'POST', path: '/set', handler: ({ session, body }) => {
    const before = seen(session);
    session[body['key'] as string] = body['value'];
    return { json: { ok: true, seen: before } };
  } },
  { method: 'POST', path: '/unset', handler: ({ session, body }) => {
    const before = seen(session);
    delete session[body['key'] as string];
    return { json: { ok: true, seen: before } };
  } },
  { method: 'POST', path: '/regenerate', handler: ({ session }) => {
    const before = seen(session);
    session.regenerate();
    session['who'] = 'regenerated';
    return { json: { ok: true, seen: before } };
  } },
  { method: 'POST', path: '/login', handler: async ({ session, body }) => {
    const before = seen(session);
    return { json: { user: await session.login(body['userId'] as string), seen: before } };
  } },
  { method: 'POST', path: '/destroy', handler: ({ session }) => {
    const before = seen(session);
    session.destroy();
    return { json: { ok: true, seen: before } };
  } },
  { method: 'GET', path: '/read', handler: ({ session }) => ({ json: { data: { ...session }, userId: session.userId ?? null } }) },
];

/** What one request of a batch answered. */
export interface Outcome {
  name: string;
  command: Command;
  status: number;
  json: Record<string, unknown>;
  failure?: string;
  /** The session cookie was cleared by this answer. */
  cleared: boolean;
  /** A live session cookie other than the batch's own, if this answer issued one. */
  issued?: string;
  /** Whether one of this request's store calls was failed on purpose. */
  faulted: boolean;
}

/** A session as read back after the batch. */
export interface ReadBack {
  data: Record<string, unknown>;
  userId: string | null;
}

/** What a batch did, for the checks. */
export interface BatchReport {
  outcomes: Outcome[];
  /** Reading the batch's own (old) cookie again afterwards. */
  old: ReadBack;
  /** Each issued cookie, read back, by the name of the request that issued it. */
  issued: Map<string, ReadBack>;
  trace: string[];
}

export interface LifecycleApp {
  run(loggedIn: boolean, commands: Command[], choices: Choice[]): Promise<BatchReport>;
  close(): Promise<void>;
}

const requestOf = (command: Command): [string, string, unknown] => {
  switch (command.kind) {
    case 'set': return ['POST', '/set', { key: command.key, value: command.value }];
    case 'unset': return ['POST', '/unset', { key: command.key }];
    case 'regenerate': return ['POST', '/regenerate', {}];
    case 'login': return ['POST', '/login', { userId: command.userId }];
    case 'destroy': return ['POST', '/destroy', {}];
    case 'logout': return ['POST', '/auth/logout', {}];
  }
};

export function commandName(command: Command, index: number): string {
  const detail = command.kind === 'set' || command.kind === 'unset' ? ` ${command.key}` : command.kind === 'login' ? ` ${command.userId}` : '';
  return `#${index} ${command.kind}${detail}`;
}

/** Starts an app on `target` whose store (from `backing`) runs under an {@link Interleaver}. */
export async function startLifecycleApp(target: AdapterTarget, backing: BackendStore): Promise<LifecycleApp> {
  const interleaver = new Interleaver(backing.store);
  const quiet = () => undefined;
  const app: RunningApp = await target.start({
    session: {
      secrets: [SECRET], store: interleaver.store, storeTimeout: STORE_TIMEOUT_MS, logger: { warn: quiet, error: quiet },
      // Typed loosely: the examples' SessionUser augmentation is global to this program.
      loadUser: (userId: string) => ({ name: userId }) as unknown as SessionUserAttributes,
    },
    routes,
  });
  const client = new KeepAliveClient(app.url, 12);
  const cookieOf = (answer: Answer) => answer.setCookies.find((c) => c.name === 'sw.sid' && !isClearing(c))?.value;
  const read = async (token: string): Promise<ReadBack> => {
    const answer = await client.request('GET', '/read', { cookie: `sw.sid=${token}` });
    return answer.json as ReadBack;
  };
  return {
    async run(loggedIn, commands, choices) {
      let token = cookieOf(await client.request('POST', '/seed', { json: { data: SEED } })) ?? '';
      if (loggedIn) token = cookieOf(await client.request('POST', '/login', { cookie: `sw.sid=${token}`, json: { userId: 'u0' } })) ?? '';
      const sid = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sid: string }).sid;
      interleaver.reset();
      interleaver.name(sid, 'S0');
      const names = commands.map(commandName);
      const answers = await interleaver.run(names, commands.map((command) => () => {
        const [method, path, json] = requestOf(command);
        return client.request(method, path, { cookie: `sw.sid=${token}`, json, deadlineMs: BATCH_DEADLINE_MS + 2_000 });
      }), choices, BATCH_DEADLINE_MS);
      const outcomes = answers.map((answer, i): Outcome => {
        const issued = cookieOf(answer);
        const outcome: Outcome = {
          name: names[i]!, command: commands[i]!, status: answer.status, json: (answer.json ?? {}) as Record<string, unknown>,
          cleared: answer.setCookies.some((c) => c.name === 'sw.sid' && isClearing(c)), faulted: interleaver.faulted.has(i),
        };
        if (issued !== undefined && issued !== token) outcome.issued = issued;
        if (answer.failure !== undefined) outcome.failure = answer.failure;
        return outcome;
      });
      const issued = new Map<string, ReadBack>();
      for (const outcome of outcomes) if (outcome.issued !== undefined) issued.set(outcome.name, await read(outcome.issued));
      return { outcomes, old: await read(token), issued, trace: [...interleaver.trace] };
    },
    async close() {
      client.close();
      await app.close();
      await backing.close();
    },
  };
}
