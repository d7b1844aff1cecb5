import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect } from 'chai';
import { type RedisServer, startRedisServer } from '@sessionware/test-support';

const ROOT = new URL('../../', import.meta.url).pathname;

/**
 * Issue 16: the example `examples/migrate-express-session` run as its README says, on a
 * throwaway redis-server: a user logged in under express-session + connect-redis is still
 * logged in after the switch to sessionware, the old cookie cleared and the old record gone.
 */
describe('issue 16: migration — examples/migrate-express-session end to end (real Redis)', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  after(async () => {
    await redis.stop();
  });

  it('the demo logs alice in under express-session, switches, and she is still logged in; every check passes', async () => {
    const child = spawn(process.execPath, ['--conditions=sessionware-source', '--import', 'tsx', 'examples/migrate-express-session/src/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: redis.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output).to.equal(0);
    expect(output).to.not.include('FAIL');
    for (const line of [
      'ok   express-session app: alice logged in',
      'ok   sessionware app: alice is still logged in (GET /whoami → 200',
      'ok   her session data came along (cart)',
      'ok   the old cookie connect.sid is cleared',
      'ok   the old record sess:<sid> is gone',
    ]) expect(output).to.include(line);
  });
});
