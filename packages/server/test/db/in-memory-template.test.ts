import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryTemplate, useInMemoryTemplate } from '../../src/db/in-memory-template.ts';
import { openDatabase } from '../../src/db/open-database.ts';

// The testing hook the cross-package suite uses so each in-memory server skips initdb and the migrations.
describe('useInMemoryTemplate', () => {
  afterEach(() => useInMemoryTemplate(undefined)); // files share a worker (isolate: false)

  it('makes in-memory databases start from the tarball, still migrated, until it is cleared', async () => {
    const source = new PGlite();
    await source.exec('CREATE TABLE template_marker (note text); INSERT INTO template_marker VALUES ($$from the template$$)');
    const tarball = await source.dumpDataDir('none');
    await source.close();

    useInMemoryTemplate(tarball);
    // No folder, and a `memory://` one (what `caracal server start` passes for memory).
    for (const dataDir of [undefined, 'memory://']) {
      const database = await openDatabase(dataDir === undefined ? {} : { dataDir });
      try {
        expect((await database.query<{ note: string }>('SELECT note FROM template_marker')).rows, dataDir).toEqual([{ note: 'from the template' }]);
        expect((await database.query<{ count: number }>('SELECT count(*)::int AS count FROM schema_migrations')).rows[0]!.count).toBeGreaterThan(0);
      } finally {
        await database.close();
      }
    }

    useInMemoryTemplate(undefined);
    expect(inMemoryTemplate()).toBeUndefined();
  });
});
