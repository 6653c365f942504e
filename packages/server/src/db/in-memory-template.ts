let template: Blob | undefined;

/**
 * Testing: in-memory embedded databases opened after this call (`startServer` without `dataDir`
 * or with a `memory://` one, and without `databaseUrl`) load `tarball`, a `dumpDataDir()` of a
 * migrated database, instead of running initdb and every migration; `undefined` goes back to an
 * empty cluster. The migrations still run after the load, so a template behind the code is
 * brought up to date.
 */
export function useInMemoryTemplate(tarball: Blob | undefined): void {
  template = tarball;
}

/** The tarball set by `useInMemoryTemplate`, if any. */
export function inMemoryTemplate(): Blob | undefined {
  return template;
}
