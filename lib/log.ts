import { getConfig } from './config';
import { escapeUnsafeCharacters } from './text';

/**
 * Structured JSON logs on stdout, one object per line. Callers pass fields, never
 * a credential or a raw event body; string values are escaped so a hostile
 * user agent cannot forge a log line.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
type Fields = Record<string, string | number | boolean | null | undefined>;

const LEVEL_ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function write(level: Level, message: string, fields: Fields, priority: number = LEVEL_ORDER[level]): void {
  if (priority < LEVEL_ORDER[getConfig().AUTHWATCH_LOG_LEVEL]) return;
  const record: Record<string, unknown> = { time: new Date().toISOString(), level, msg: escapeUnsafeCharacters(message) };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) record[key] = typeof value === 'string' ? escapeUnsafeCharacters(value) : value;
  }
  process.stdout.write(`${JSON.stringify(record)}\n`);
}

export const log = {
  debug: (message: string, fields: Fields = {}) => write('debug', message, fields),
  info: (message: string, fields: Fields = {}) => write('info', message, fields),
  warn: (message: string, fields: Fields = {}) => write('warn', message, fields),
  error: (message: string, fields: Fields = {}) => write('error', message, fields),
  /** The server's start and stop (listening, shutting down, stopped): written at every level but silent, as info. */
  lifecycle: (message: string, fields: Fields = {}) => write('info', message, fields, LEVEL_ORDER.error),
};
