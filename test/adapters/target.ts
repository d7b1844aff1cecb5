import type { LogoutOptions, Session, SessionOptions } from '@sessionware/core';

/**
 * The adapter conformance suite talks to adapters through this contract, so one suite runs
 * against Express now and Koa next without being copied. A target builds a real app with the
 * adapter's `session()` and `logoutRouter()` (mounted at `/auth`), the suite's routes, and an
 * error path that answers a `SessionError` with its status and `{"error": code}`.
 */

/** What a route handler gets: the adapter's session object and the parsed JSON body. */
export interface RouteContext {
  session: Session;
  body: Record<string, unknown>;
}

/** What a route handler answers: JSON (default status 200) or a 302 redirect. */
export type RouteReply = { status?: number; json: unknown } | { redirect: string };

/** One route of the suite, framework-neutral. */
export interface SuiteRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler(context: RouteContext): RouteReply | Promise<RouteReply>;
}

/** What a target starts. */
export interface AppSetup {
  session: SessionOptions;
  logout?: LogoutOptions;
  /** The framework's own proxy trust: Express `app.set('trust proxy', true)`, Koa `app.proxy = true`. */
  trustProxy?: boolean;
  routes: SuiteRoute[];
}

/** A started app on a loopback port. */
export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** An adapter under test. */
export interface AdapterTarget {
  name: string;
  start(setup: AppSetup): Promise<RunningApp>;
}
