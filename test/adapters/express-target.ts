import { createServer } from 'node:http';
import express, { type ErrorRequestHandler } from 'express';
import { logoutRouter, session, SessionError } from '@sessionware/express';
import { listen } from '../support/http.js';
import type { AdapterTarget } from './target.js';

/** The Express adapter as a conformance target. */
export const expressTarget: AdapterTarget = {
  name: 'express',
  async start(setup) {
    const app = express();
    if (setup.trustProxy === true) app.set('trust proxy', true);
    app.use(express.json());
    app.use(session(setup.session));
    app.use('/auth', logoutRouter(setup.logout));
    for (const route of setup.routes) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      app[method](route.path, async (req, res) => {
        const reply = await route.handler({ session: req.session, body: (req.body ?? {}) as Record<string, unknown> });
        if ('redirect' in reply) res.redirect(302, reply.redirect);
        else res.status(reply.status ?? 200).json(reply.json);
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
