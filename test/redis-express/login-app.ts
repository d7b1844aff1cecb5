import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import type { SessionError, SessionOptions, Store } from '@sessionware/core';
import { logoutRouter, session } from '@sessionware/express';
import { listen } from '@sessionware/test-support';

/** A running login app and the failures its `onError` hook was told about. */
export interface LoginApp {
  readonly url: string;
  readonly reported: SessionError[];
  close(): Promise<void>;
}

/**
 * One Express 5 app on `@sessionware/express` with fixed login routes over the store a suite
 * gives (a `redisStore` on its redis-server), started once per suite: `POST /login` {username}
 * (regenerate), `POST /login-user` {userId} (`session.login`, needs the `loadUser` option),
 * `GET /whoami`, `POST /counter`, `GET /healthz` (never touches the session), and the logout
 * router at `/auth/logout`. Session errors answer their status and code. Unlike the ecosystem
 * matrix's `appsFor()` (test/ecosystem/express/matrix-app.ts: Express 4 and 5, a backend's
 * store, an app and routes per test).
 */
export async function startLoginApp(store: Store, options: SessionOptions = {}): Promise<LoginApp> {
  const reported: SessionError[] = [];
  const app = express();
  app.use(express.json());
  app.use(session({ secrets: [randomBytes(32).toString('base64url')], store, onError: (error) => reported.push(error), ...options }));
  app.use('/auth', logoutRouter());
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/login', (req, res) => {
    const { username } = req.body as { username: string };
    req.session.regenerate();
    req.session.username = username;
    res.json({ user: username });
  });
  app.post('/login-user', async (req, res) => {
    const { userId } = req.body as { userId: string };
    res.json({ user: await req.session.login(userId) });
  });
  app.get('/whoami', (req, res) => {
    const attributes = req.session.user as Record<string, unknown> | undefined;
    const user = attributes?.['username'] ?? req.session.username;
    if (typeof user === 'string') res.json({ user });
    else res.status(401).json({ error: 'not_logged_in' });
  });
  app.post('/counter', (req, res) => {
    const counter = (typeof req.session.visits === 'number' ? req.session.visits : 0) + 1;
    req.session.visits = counter;
    res.json({ counter });
  });
  const onError: ErrorRequestHandler = (error: { status?: number; code?: string }, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.code ?? 'internal_error' });
  };
  app.use(onError);
  const server = await listen(createServer(app));
  return { url: server.url, reported, close: server.close };
}
