/**
 * Exit codes of `caracal`, documented in `--help`.
 * - 0: the command did what it was asked.
 * - 1: the server refused or failed, or could not be reached.
 * - 2: the command line was wrong (unknown command or flag, missing argument, bad value).
 * - 3: a setting or prerequisite is missing or invalid (environment variable, config file, Node.js
 *   version, the optional @caracal/server package).
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2, config: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export type CliErrorCode =
  | 'usage'
  | 'missing_setting'
  | 'invalid_config'
  | 'http_error'
  | 'connection_failed'
  | 'invalid_response'
  | 'server_start_failed'
  | 'missing_package';

const EXIT_CODE_OF: Record<CliErrorCode, ExitCode> = {
  usage: ExitCode.usage,
  missing_setting: ExitCode.config,
  invalid_config: ExitCode.config,
  http_error: ExitCode.failure,
  connection_failed: ExitCode.failure,
  invalid_response: ExitCode.failure,
  server_start_failed: ExitCode.failure,
  missing_package: ExitCode.config,
};

/** What the server said when it refused a request; printed so an operator can quote it. */
export interface ServerFailure {
  status: number;
  error: string;
  description: string;
  requestId: string | undefined;
}

/** The one error type commands throw; `run()` prints `message` and exits with `exitCode`. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  readonly server: ServerFailure | undefined;
  /** One more line, after the server's status: what to do about it. */
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options: { server?: ServerFailure; cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = EXIT_CODE_OF[code];
    this.server = options.server;
    this.hint = options.hint;
  }
}
