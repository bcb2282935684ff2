import { query } from '../query';

/** Settings as key → JSON value. */
export const settingsTable = {
  all: query<[], { key: string; value: string }>('SELECT key, value FROM settings').all,
  put: query<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run,
};
