/** A stream the CLI writes to; `process.stdout` fits, and so does a test buffer. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/**
 * Everything the CLI touches outside itself. `bin.ts` builds it from `process`; tests build a
 * fake one, so no command reads `process.*` directly.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal: decides colour. */
  isTTY: boolean;
  /** Whether stderr is a terminal: decides progress spinners. Defaults to `isTTY`. */
  stderrIsTTY?: boolean;
  /**
   * Resolves with the signal name when the user asks a long-running command (`server start`) to
   * stop (SIGINT/SIGTERM). Absent in tests that never start a server.
   */
  waitForShutdown?: () => Promise<string>;
  /**
   * Opens `url` in the user's browser (`caracal console --open`); resolves false when no browser
   * could be started. Absent in tests, which must never open one.
   */
  openUrl?: (url: string) => Promise<boolean>;
}
