import type { ChildProcess } from 'node:child_process';

/** The child processes (servers, throwaway Redis) this bench started and has not seen exit. */
const children = new Set<ChildProcess>();

const killAll = (): void => {
  for (const child of children) child.kill('SIGKILL');
};

/**
 * A bench stopped by Ctrl-C or `kill` would otherwise leave its children running (seen: two soak
 * replicas and their Redis alive hours after the bench was killed). The first signal kills them,
 * then the bench, as the signal would have.
 */
function stopOnSignal(signal: NodeJS.Signals): void {
  killAll();
  process.kill(process.pid, signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, stopOnSignal);
process.once('exit', killAll);

/** Kills `child` when this bench ends, however it ends, unless it exited first. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}
