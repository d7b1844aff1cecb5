import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { textOfSize } from '../support.js';

/** A directory with one text file of more than 2 KiB, made before and removed after the suite. */
export interface FileFixture {
  dir: string;
  /** The absolute path of the file. */
  path: string;
  /** Its name inside `dir`. */
  name: string;
  content: string;
}

/** Registers mocha hooks that create the fixture; the object is filled in `before`. */
export function useFileFixture(size = 24 * 1024): FileFixture {
  const fixture: FileFixture = { dir: '', path: '', name: 'report.txt', content: textOfSize(size) };
  before(async () => {
    fixture.dir = await mkdtemp(join(tmpdir(), 'sw-eco-express-'));
    fixture.path = join(fixture.dir, fixture.name);
    await writeFile(fixture.path, fixture.content);
  });
  after(async () => {
    if (fixture.dir !== '') await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
