import { afterAll, beforeAll } from 'vitest';
import { assertBuiltCli, caracal, type ProcessResult } from './built-cli.ts';
import { startRealServer, type RealServer } from './real-server.ts';

/** What a CLI test file works with: the real server it started, and `caracal …` run as an operator. */
export interface OperatorFixture {
  server(): RealServer;
  /** `caracal …` as an operator who exported the URL and `$(caracal token --zone …)`, nothing else. */
  operator(args: string[], extra?: Record<string, string>): Promise<ProcessResult>;
}

/** Starts the real server for the calling test file (and stops it after); needs the built CLI. */
export function useOperatorServer(): OperatorFixture {
  let server: RealServer | undefined;
  beforeAll(async () => {
    assertBuiltCli();
    server = await startRealServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  const started = (): RealServer => {
    if (server === undefined) throw new Error('the server starts in beforeAll');
    return server;
  };
  return {
    server: started,
    operator: (args, extra = {}) => caracal(args, { ...started().operatorEnv, ...extra }),
  };
}

export const parseJson = (stdout: string): unknown => JSON.parse(stdout);
/** A printed table as rows of cells (columns are separated by two or more spaces). */
export const tableRows = (stdout: string): string[][] => stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
/** The last line of an error: the HTTP status and the server's request id. */
export const REQUEST_ID = /\n {2}HTTP \d{3}, request id req_\w+\n$/;
