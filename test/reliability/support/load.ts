import { KeepAliveClient, type Answer } from './client.js';

/** The routes one virtual user walks through, in order, again and again (SPEC §E). */
export const ROUTES = ['POST /login', 'POST /counter', 'POST /counter', 'GET /whoami', 'PUT /data/k', 'POST /auth/logout'] as const;
export type LoadRoute = (typeof ROUTES)[number];

/** One answer of the load, with the phase (fault) it was sent in. */
export interface Observation {
  route: LoadRoute;
  phase: string;
  status: number;
  elapsedMs: number;
  failure?: string;
  body: string;
  /** Whether the answer cleared both cookies (Max-Age=0), for logouts (SPEC L2). */
  clearedBoth: boolean;
}

/** What one virtual user believes about its session, to tell lost writes from expected losses. */
interface UserState {
  jar: Map<string, string>;
  epoch: number;
  loggedIn: boolean;
  /** Last counter value answered 200 in this session. */
  acked: number;
  /** A request of this session answered 503: its write may still be applied late (allowed by F1). */
  unsure: boolean;
}

/**
 * A steady stream of concurrent requests from `users` virtual users (login, counter twice,
 * whoami, a data write, logout), recording every answer, while a test injects faults. It
 * never stops on a bad answer: the tests judge the observations afterwards.
 */
export class Load {
  readonly observations: Observation[] = [];
  /** Acknowledged writes later missing from a session that was not lost to a SIGKILL. */
  readonly losses: string[] = [];
  /** Sessions gone after a login or write answered 503 that Redis applied late (F1 allows the late write). */
  orphaned = 0;
  /** Counter increments answered 503 that Redis applied anyway, seen as a jump of the counter. */
  lateWrites = 0;
  /** Logged-in sessions that died with a SIGKILLed Redis (no persistence: expected). */
  lostToKill = 0;
  /** Every session cookie value handed out, and the session ids inside them (SPEC F5). */
  readonly secrets = new Set<string>();
  /** The fault now in force; each observation carries the phase its request was sent in. */
  phase = 'steady';
  /** Bumped at each SIGKILL: every session before it is gone. */
  epoch = 0;
  readonly #client: KeepAliveClient;
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];
  #running: Array<Promise<void>> = [];
  #stopped = false;

  constructor(readonly url: string, readonly users: number, readonly deadlineMs: number) {
    this.#client = new KeepAliveClient(url, users + 2);
  }

  start(): void {
    this.#running = Array.from({ length: this.users }, (_, i) => this.#user(i));
  }

  /** Resolves once `count` more answers have arrived. */
  answered(count: number): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all(this.#running);
    this.#client.close();
  }

  async #user(index: number): Promise<void> {
    const state: UserState = { jar: new Map(), epoch: this.epoch, loggedIn: false, acked: 0, unsure: false };
    for (let round = 0; !this.#stopped; round += 1) {
      for (const route of ROUTES) {
        if (this.#stopped) return;
        const answer = await this.#send(state, route, route === 'POST /login' ? { username: `load-${index}` } : route === 'PUT /data/k' ? { value: round } : undefined);
        this.#account(state, route, answer, index);
      }
    }
  }

  async #send(state: UserState, route: LoadRoute, json: unknown): Promise<Answer> {
    const [method = 'GET', path = '/'] = route.split(' ');
    const phase = this.phase;
    const cookie = [...state.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const answer = await this.#client.request(method, path, { ...(cookie === '' ? {} : { cookie }), ...(json === undefined ? {} : { json }), deadlineMs: this.deadlineMs });
    for (const setCookie of answer.setCookies) {
      if (setCookie.attributes['max-age'] === '0') state.jar.delete(setCookie.name);
      else state.jar.set(setCookie.name, setCookie.value);
      if (setCookie.name === 'sw.sid' && setCookie.value !== '') this.#remember(setCookie.value);
    }
    const cleared = answer.setCookies.filter((c) => c.attributes['max-age'] === '0').map((c) => c.name);
    const observation: Observation = {
      route, phase, status: answer.status, elapsedMs: answer.elapsedMs, body: answer.body.slice(0, 200),
      clearedBoth: cleared.includes('sw.sid') && cleared.includes('sw.sid.active'),
    };
    if (answer.failure !== undefined) observation.failure = answer.failure;
    this.observations.push(observation);
    this.#notify();
    return answer;
  }

  #remember(token: string): void {
    this.secrets.add(token);
    try {
      const sid = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sid?: unknown }).sid;
      if (typeof sid === 'string') this.secrets.add(sid);
    } catch {
      // Not a JWS: nothing more to remember.
    }
  }

  #notify(): void {
    for (let i = this.#waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.#waiters[i]!;
      waiter.count -= 1;
      if (waiter.count <= 0) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Follows one user's session: counters must only grow in a session that was not lost (T7). */
  #account(state: UserState, route: LoadRoute, answer: Answer, index: number): void {
    if (state.epoch !== this.epoch) {
      // Redis was SIGKILLed meanwhile: without persistence every session is gone, as expected.
      if (state.loggedIn || state.acked > 0) this.lostToKill += 1;
      Object.assign(state, { epoch: this.epoch, loggedIn: false, acked: 0, unsure: false });
      return;
    }
    if (answer.status === 503) state.unsure = true;
    if (answer.status !== 200 && answer.status !== 401) return;
    const lost = (what: string): void => {
      if (state.unsure) this.orphaned += 1;
      else this.losses.push(`user ${index}: ${what} (phase ${this.phase})`);
    };
    if (route === 'POST /login') state.loggedIn = true;
    else if (route === 'POST /auth/logout') Object.assign(state, { loggedIn: false, acked: 0, unsure: false });
    else if (route === 'GET /whoami' && answer.status === 401 && state.loggedIn) {
      lost('whoami answered 401 in a logged-in session');
      Object.assign(state, { loggedIn: false, acked: 0 });
    } else if (route === 'POST /counter' && answer.status === 200) {
      const counter = (answer.json as { counter?: number }).counter ?? 0;
      if (counter <= state.acked) lost(`counter ${counter} after ${state.acked} was acknowledged`);
      else this.lateWrites += counter - state.acked - 1;
      state.acked = counter;
    }
  }
}
