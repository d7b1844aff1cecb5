import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import express4 from 'express4';
import { session, SessionError } from '@sessionware/express';
import { listen } from '@sessionware/test-support';
import type { AdapterTarget } from './target.js';

/** The Express adapter as a conformance target, on the Express module given (5, or 4 through the `express4` alias). */
export function expressTargetOn(name: string, expressModule: typeof express): AdapterTarget {
  return {
    name,
    async start(setup) {
      const app = expressModule();
      if (setup.trustProxy === true) app.set('trust proxy', true);
      app.use(expressModule.json());
      const sessions = session(setup.session);
      app.use(sessions);
      // The middleware's own router, at the root with its prefix: the peek is known to the middleware (SPEC P5).
      app.use(sessions.logoutRouter({ prefix: '/auth', ...setup.logout }));
      for (const route of setup.routes) {
        const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
        // Rejections go to next() by hand: Express 4, unlike 5, does not catch them.
        app[method](route.path, (req, res, next) => {
          Promise.resolve(route.handler({ session: req.session, body: (req.body ?? {}) as Record<string, unknown> })).then((reply) => {
            if ('redirect' in reply) res.redirect(302, reply.redirect);
            else res.status(reply.status ?? 200).json(reply.json);
          }).catch(next);
        });
      }
      const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
        if (res.headersSent) return;
        if (error instanceof SessionError) res.status(error.status).json({ error: error.code });
        else res.status(500).json({ error: 'internal_error' });
      };
      app.use(onError);
      return listen(createServer(app));
    },
  };
}

/** The Express adapter on Express 5. */
export const expressTarget: AdapterTarget = expressTargetOn('express', express);

/** The Express adapter on Express 4 (the peer range is ^4.21 || ^5). */
export const express4Target: AdapterTarget = expressTargetOn('express 4', express4);
