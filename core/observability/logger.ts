import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields a log line may carry. Deliberately no free-form objects: memory content never reaches a log. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: Level, msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Structured JSON lines to <data>/logs/memoryos.log (and stderr when MEMORYOS_LOG_STDERR=1). */
export function createLogger(dataDir: string | null, minLevel: Level = (process.env.MEMORYOS_LOG_LEVEL as Level) || 'info'): Logger {
  let file: string | null = null;
  if (dataDir) {
    const dir = join(dataDir, 'logs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    file = join(dir, 'memoryos.log');
  }
  const toStderr = process.env.MEMORYOS_LOG_STDERR === '1';
  const log = (level: Level, msg: string, fields: LogFields = {}) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const line = JSON.stringify({ ts: new Date().toISOString(), level, msg, pid: process.pid, ...fields }) + '\n';
    if (file) { try { appendFileSync(file, line, { mode: 0o600 }); } catch { /* logging must never break a call */ } }
    if (toStderr) process.stderr.write(line);
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}
