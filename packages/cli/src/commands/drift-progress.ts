/** Redraws at most this often, so a fast read is not slowed down by terminal writes. */
const REDRAW_INTERVAL_MS = 250;

function humanBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export interface Progress {
  update: (bytesRead: number, total: number | undefined) => void;
  done: () => void;
}

/**
 * A one-line "reading ..." indicator on stderr, drawn only when stderr is a terminal (never in
 * logs or pipes). `now` is injected so tests control the redraw clock.
 */
export function terminalProgress(
  label: string,
  stream: { isTTY?: boolean; write: (s: string) => unknown } = process.stderr,
  now: () => number = Date.now,
): Progress {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let last = 0;
  let drawn = false;
  return {
    update: (read, total) => {
      const t = now();
      if (t - last < REDRAW_INTERVAL_MS) return;
      last = t;
      drawn = true;
      const share = total ? ` / ${humanBytes(total)} (${Math.floor((100 * read) / total)}%)` : '';
      stream.write(`\r\x1b[K${label}: ${humanBytes(read)}${share}`);
    },
    done: () => {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
