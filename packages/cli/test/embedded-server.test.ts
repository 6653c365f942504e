import { describe, expect, it } from 'vitest';
import { loadStartServer } from '../src/embedded-server.ts';
import { CliError, ExitCode } from '../src/errors.ts';

/** What Node throws when an import names a package that is not installed. */
function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/@caracal/cli/dist/run.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

describe('loading the optional @caracal/server', () => {
  it('asks for the package by name when it is not installed, exit 3', async () => {
    const loading = loadStartServer('caracal server start', () => Promise.reject(notFound('@caracal/server')));
    await expect(loading).rejects.toThrow(CliError);
    await expect(loading).rejects.toMatchObject({
      code: 'missing_package',
      exitCode: ExitCode.config,
      message: 'caracal server start needs @caracal/server: npm install @caracal/server',
    });
  });

  it('keeps a missing dependency of the server apart from a missing server', async () => {
    const loading = loadStartServer('caracal demo', () => Promise.reject(notFound('pg')));
    await expect(loading).rejects.toMatchObject({ code: 'ERR_MODULE_NOT_FOUND' });
    await expect(loading).rejects.not.toBeInstanceOf(CliError);
  });

  it('returns the installed startServer', async () => {
    const startServer = async () => ({ url: 'http://127.0.0.1:1', close: async () => undefined });
    expect(await loadStartServer('caracal demo', async () => ({ startServer }))).toBe(startServer);
  });

  it('runs the real import: the workspace server is installed, so it loads', async () => {
    expect(typeof (await loadStartServer('caracal demo'))).toBe('function');
  });
});
