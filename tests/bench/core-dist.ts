import { statSync } from 'node:fs';
import { filesUnder } from './stats';
import { join, relative } from 'node:path';
import type * as AppModule from '../../core/app/app';
import type * as InternalsModule from '../../core/app/internals';
import type * as SodiumModule from '../../core/crypto/sodium';
import type * as HashModule from '../../core/crypto/hash';
import type * as DocUpdateModule from '../../core/crdt/doc-update';
import type * as MemoryDocModule from '../../core/memories/memory-doc';
import type * as SearchIndexModule from '../../core/store/search-index';
import type * as DatabaseModule from '../../core/store/database';
import type * as ValidatorModule from '../../core/schemas/validator';
import type * as CatalogModule from '../../core/api/catalog';
import type * as JsonModule from '../../core/shared/json';
import type * as SyncLogModule from '../../core/store/sync-log';
import type * as TopicModule from '../../core/events/topic-catalog';
import type * as ArchiveModule from '../../core/privacy/archive';

/**
 * The bench measures the compiled core in dist/ — what the host, the CLI and Electron run — not
 * a tsx-transpiled copy. Types come from the sources; code comes from dist/.
 */
export const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');

function load<T>(rel: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(DIST, rel)) as T;
}

export const core = {
  app: () => load<typeof AppModule>('core/app/app.js'),
  internals: () => load<typeof InternalsModule>('core/app/internals.js'),
  sodium: () => load<typeof SodiumModule>('core/crypto/sodium.js'),
  hash: () => load<typeof HashModule>('core/crypto/hash.js'),
  docUpdate: () => load<typeof DocUpdateModule>('core/crdt/doc-update.js'),
  memoryDoc: () => load<typeof MemoryDocModule>('core/memories/memory-doc.js'),
  searchIndex: () => load<typeof SearchIndexModule>('core/store/search-index.js'),
  database: () => load<typeof DatabaseModule>('core/store/database.js'),
  validator: () => load<typeof ValidatorModule>('core/schemas/validator.js'),
  catalog: () => load<typeof CatalogModule>('core/api/catalog.js'),
  json: () => load<typeof JsonModule>('core/shared/json.js'),
  syncLog: () => load<typeof SyncLogModule>('core/store/sync-log.js'),
  topics: () => load<typeof TopicModule>('core/events/topic-catalog.js'),
  archive: () => load<typeof ArchiveModule>('core/privacy/archive/index.js'),
};

/** Sources under core/ whose compiled file is missing or older: measuring those would mislead. */
export function staleSources(): string[] {
  return filesUnder(join(ROOT, 'core'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => {
      const out = join(DIST, relative(ROOT, f)).replace(/\.ts$/, '.js');
      try { return statSync(out).mtimeMs < statSync(f).mtimeMs; } catch { return true; }
    })
    .map((f) => relative(ROOT, f));
}
