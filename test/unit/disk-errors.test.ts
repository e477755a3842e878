import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { asDiskError } from '../../electron/core/store/atomic-file';
import { openDatabase } from '../../electron/core/store/database';
import { AtelierError } from '../../shared/errors';
import { tempDir } from '../support/temp-dir';

/** Real errors from node:sqlite and the file system, as the CLI and the app meet them. */
describe('asDiskError', () => {
  it('says a read-only database in words (SQLITE_READONLY), never "something went wrong"', async () => {
    const dir = await tempDir();
    openDatabase(dir).close();
    const readOnly = new DatabaseSync(path.join(dir, 'atelier.db'), { readOnly: true });
    let thrown: unknown;
    try {
      readOnly.exec("INSERT INTO egress (at, tier, route_class, provider, host, model_id, outcome) VALUES ('x', 'x', 'x', 'x', 'x', 'x', 'x')");
    } catch (error) {
      thrown = error;
    } finally {
      readOnly.close();
    }
    const mapped = asDiskError(thrown);
    expect(mapped).toBeInstanceOf(AtelierError);
    expect((mapped as AtelierError).message).toMatch(/Atelier may not read or write a file in its data folder/);
    expect((mapped as AtelierError).hint).toMatch(/atelier info/);
  });

  it('says a damaged database in words (SQLITE_NOTADB)', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'atelier.db'), 'this is not a database, but long enough to look like a header '.repeat(20));
    let thrown: unknown;
    try {
      openDatabase(dir);
    } catch (error) {
      thrown = error;
    }
    expect((asDiskError(thrown) as AtelierError).message).toMatch(/is damaged/);
  });

  it('leaves other errors as they are', () => {
    const other = new TypeError('a bug');
    expect(asDiskError(other)).toBe(other);
  });
});
