import type { CliIo } from '../../src/io.ts';

/** A CliIo that records what the CLI writes. */
export interface RecordingIo extends CliIo {
  out(): string;
  err(): string;
}

export function fakeIo(options: { env?: Record<string, string | undefined>; isTTY?: boolean; stderrIsTTY?: boolean } = {}): RecordingIo {
  let stdout = '';
  let stderr = '';
  return {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? options.isTTY ?? false,
    out: () => stdout,
    err: () => stderr,
  };
}
