import { expect } from 'chai';
import { within } from '../support.js';
import { appsFor, EXPRESS_VERSIONS, expectAlive, mark, readKey, STORE_BACKENDS } from './matrix-app.js';
import { useFileFixture } from './files.js';

/** SPEC R3, T7 with `res.download`: the session write is stored before the attachment's headers go out. */
for (const [version, x] of EXPRESS_VERSIONS) {
  for (const backend of STORE_BACKENDS) {
    describe(`R3 res.download (${version}, ${backend.name})`, () => {
      const apps = appsFor(x, backend);
      const file = useFileFixture();

      it('R1, R3, T7: write session then res.download a 24 KiB file as an attachment', async () => {
        const target = await apps.start({
          routes: (app) => {
            app.get('/download', (req, res, next) => {
              mark(req, 'written', 'download');
              res.download(file.path, 'monthly.txt', (error?: Error) => {
                if (error !== undefined) next(error);
              });
            });
          },
        });
        const reply = await within(target.raw('/download'), 'GET /download');
        expect(reply.status, reply.body.toString()).to.equal(200);
        expect(reply.headers['content-disposition']).to.match(/^attachment; filename="?monthly\.txt"?$/);
        expect(reply.headers['content-length']).to.equal(String(Buffer.byteLength(file.content)));
        expect(reply.body.toString()).to.equal(file.content);
        expect(reply.cookie('sw.sid'), 'session cookie on the download').to.not.equal(undefined);
        expect(reply.cookie('sw.sid.active'), 'indicator cookie on the download').to.not.equal(undefined);
        expect(await readKey(target, 'written')).to.equal('download');
        await expectAlive(target);
      });
    });
  }
}
