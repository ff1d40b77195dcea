import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout, one event per line. Components log through children carrying `controller`,
 * `namespace` and `name`, so a line can always be traced to the object it is about.
 */
export function createLogger(
  options: {
    level?: string;
    name?: string;
    /** Where the JSON lines go instead of stdout (tests that await a logged event). */
    destination?: { write(line: string): void };
  } = {},
): Logger {
  const settings = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    ...(options.name ? { name: options.name } : {}),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** For components used on their own (tests, scripts): quiet unless LOG_LEVEL asks otherwise. */
export function defaultLogger(): Logger {
  fallback ??= createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
  return fallback;
}
let fallback: Logger | undefined;
