import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux everywhere in practice). */
const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime of one /proc/<pid>/stat line, or undefined if it is not Postgres. */
function postgresTimes(pid: string): number[] | undefined {
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // Gone meanwhile, or not readable.
  }
  const close = line.lastIndexOf(')');
  if (line.slice(line.indexOf('(') + 1, close) !== 'postgres') return undefined;
  // Fields after the command: state is field 3, utime field 14 … cstime field 17.
  const fields = line.slice(close + 2).split(' ');
  return fields.slice(11, 15).map(Number);
}

/**
 * CPU milliseconds spent so far by the Postgres on this machine: every live postgres process's
 * own time, plus what the postmaster collected from the backends that already exited (their
 * children times). Undefined when no Postgres process is visible (a remote database): the
 * difference of two readings is then meaningless. Counts every database's work, not only the
 * bench's, so read it over interleaved stretches as the A/B does.
 */
export function postgresCpuMs(): number | undefined {
  let ticks = 0;
  let seen = false;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const times = postgresTimes(pid);
    if (times === undefined) continue;
    seen = true;
    const [user = 0, system = 0, childUser = 0, childSystem = 0] = times;
    ticks += user + system + childUser + childSystem;
  }
  return seen ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}
