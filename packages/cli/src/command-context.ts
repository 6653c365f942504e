import type { CliIo } from './io.ts';
import { createOutput, type Output } from './output.ts';
import { withProgress } from './progress.ts';

/** What every command handler gets: the io, the renderer, and a progress wrapper for slow calls. */
export interface CommandContext {
  io: CliIo;
  output: Output;
  progress<T>(label: string, work: () => Promise<T>): Promise<T>;
}

export function createCommandContext(io: CliIo): CommandContext {
  return {
    io,
    output: createOutput(io),
    progress: (label, work) => withProgress(io, label, work),
  };
}
