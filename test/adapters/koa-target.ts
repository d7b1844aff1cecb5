import { createServer } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import { session, SessionError } from '@sessionware/koa';
import { listen } from '@sessionware/test-support';
import type { AdapterTarget } from './target.js';

/** The Koa adapter as a conformance target. */
export const koaTarget: AdapterTarget = {
  name: 'koa',
  async start(setup) {
    const app = new Koa();
    app.silent = true;
    if (setup.trustProxy === true) app.proxy = true;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (error) {
        ctx.status = error instanceof SessionError ? error.status : 500;
        ctx.body = { error: error instanceof SessionError ? error.code : 'internal_error' };
      }
    });
    app.use(bodyParser());
    const sessions = session(setup.session);
    app.use(sessions);
    app.use(sessions.logoutRouter({ prefix: '/auth', ...setup.logout }).routes());
    const router = new Router();
    for (const route of setup.routes) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      router[method](route.path, async (ctx) => {
        const reply = await route.handler({ session: ctx.session, body: (ctx.request.body ?? {}) as Record<string, unknown> });
        if ('redirect' in reply) ctx.redirect(reply.redirect);
        else {
          ctx.status = reply.status ?? 200;
          ctx.body = reply.json;
        }
      });
    }
    app.use(router.routes());
    return listen(createServer(app.callback()));
  },
};
