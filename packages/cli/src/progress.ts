import type { CliIo } from './io.ts';

/** Quick answers print no spinner at all; only waits longer than this show one. */
export const PROGRESS_DELAY_MS = 250;
const FRAME_INTERVAL_MS = 80;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\u001B[2K';

/**
 * Runs `work` and, when stderr is a terminal and the work takes more than a moment, shows a
 * spinner with `label` on stderr, erased before the result is printed. Pipes and logs never see it.
 */
export async function withProgress<T>(io: CliIo, label: string, work: () => Promise<T>): Promise<T> {
  if (!(io.stderrIsTTY ?? io.isTTY)) return work();
  let frame = 0;
  let shown = false;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    shown = true;
    io.stderr.write(`${CLEAR_LINE}${FRAMES[frame++ % FRAMES.length]} ${label}`);
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, FRAME_INTERVAL_MS);
  }, PROGRESS_DELAY_MS);
  try {
    return await work();
  } finally {
    clearTimeout(delay);
    if (ticker !== undefined) clearInterval(ticker);
    if (shown) io.stderr.write(CLEAR_LINE);
  }
}
