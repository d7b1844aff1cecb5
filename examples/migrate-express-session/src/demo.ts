/**
 * Issue 16, end to end: starts the express-session app, logs alice in, stops it, starts the
 * sessionware app with `migrateFrom` on the same Redis, and shows alice still logged in, her
 * old cookie cleared and her old record gone. Needs REDIS_URL. Exits 1 if any step fails.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore } from 'connect-redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createNewApp } from './new-app.js';
import { createOldApp } from './old-app.js';

const redisUrl = process.env['REDIS_URL'];
if (redisUrl === undefined) {
  console.error('REDIS_URL is required, e.g. REDIS_URL=redis://127.0.0.1:6379');
  process.exit(2);
}
const secrets = process.env['SESSION_SECRETS'] ?? 'demo-only-secret-for-the-migration-example-0123456789';

async function serve(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

function check(condition: boolean, what: string): void {
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${what}`);
  if (!condition) process.exitCode = 1;
}

const oldClient = createClient({ url: redisUrl });
await oldClient.connect();
const oldStore = new RedisStore({ client: oldClient });
const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
await once(client, 'ready');

try {
  // 1. The old app: alice logs in under express-session.
  const oldServer = createServer(createOldApp(oldStore));
  const oldUrl = await serve(oldServer);
  const login = await fetch(`${oldUrl}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice' }) });
  const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0] ?? '').find((pair) => pair.startsWith('connect.sid='));
  await stop(oldServer);
  check(login.ok && cookie !== undefined, 'express-session app: alice logged in (cookie connect.sid)');
  if (cookie === undefined) throw new Error('no express-session cookie');
  const sid = decodeURIComponent(cookie.slice('connect.sid='.length)).slice(2).replace(/\.[^.]*$/, '');
  check((await client.exists(`sess:${sid}`)) === 1, 'connect-redis record sess:<sid> exists');

  // 2. The switch: the sessionware app on the same Redis, with the reader.
  const newServer = createServer(createNewApp(client, oldStore, secrets));
  const newUrl = await serve(newServer);
  console.log(`sessionware app listening on ${newUrl}/ (migrateFrom: express-session)`);
  const whoami = await fetch(`${newUrl}/whoami`, { headers: { cookie } });
  const body = (await whoami.json()) as { user?: { username?: string }; cart?: unknown };
  const setCookies = whoami.headers.getSetCookie();
  check(whoami.status === 200 && body.user?.username === 'alice', `sessionware app: alice is still logged in (GET /whoami → ${whoami.status} ${JSON.stringify(body)})`);
  check(JSON.stringify(body.cart) === '["book"]', 'her session data came along (cart)');
  check(setCookies.some((value) => value.startsWith('connect.sid=;') && /Max-Age=0/i.test(value)), 'the old cookie connect.sid is cleared');
  check(setCookies.some((value) => value.startsWith('sw.sid=') && !/Max-Age=0/i.test(value)), 'the new cookie sw.sid is issued');
  check((await client.exists(`sess:${sid}`)) === 0, 'the old record sess:<sid> is gone');
  await stop(newServer);
} finally {
  client.disconnect();
  oldClient.destroy();
}
