import { readFileSync } from 'node:fs';

// Linux reports process CPU time in clock ticks of 1/100 s (getconf CLK_TCK).
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is the 1st, utime the 12th, stime the 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds used by this process and the given ones together. */
export function cpuSecondsOf(pids: readonly number[]): number {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1e6 + pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}
