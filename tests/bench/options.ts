/** How much work one run does. Quick is for a laptop check; full is the size spec §10 names. */
export interface BenchSize {
  n: number;          // memories imported before anything is measured
  batch: number;      // memories per memory.import call (and per baseline transaction)
  creates: number;    // memory.create samples
  warmup: number;     // calls run before timing starts (JIT, statement caches)
  queries: number;    // memory.search samples
  unlocks: number;    // unlock-to-searchable samples (the median is reported)
  profile: boolean;   // CPU-profile extra create/import/unlock work after the timed phases
  sync_n: number;     // memories in host A before B is paired (initial sync figure)
  sync_edits: number; // edits timed from A to a connected B
  import_n: number;   // notes in the Markdown folder of the import phases (--import)
  enex_mb: number;    // size of the ENEX of the import phases, in MB (with resources)
  attach_mib: number; // the attachment added on A and synced to B, in MiB
  import_phases: ImportPhase[]; // which of them run (--import-phases=enex,attachment)
}

export const IMPORT_PHASES = ['markdown', 'enex', 'attachment'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

export const QUICK: BenchSize = { n: 10_000, batch: 1000, creates: 1000, warmup: 30, queries: 400, unlocks: 3, profile: true, sync_n: 2000, sync_edits: 50, import_n: 10_000, enex_mb: 100, attach_mib: 100, import_phases: [...IMPORT_PHASES] };
export const FULL: BenchSize = { n: 100_000, batch: 1000, creates: 2000, warmup: 30, queries: 400, unlocks: 1, profile: true, sync_n: 10_000, sync_edits: 200, import_n: 100_000, enex_mb: 1024, attach_mib: 100, import_phases: [...IMPORT_PHASES] };

// Set in code, never from the environment: the bench must not pick up a real vault's passphrase.
export const BENCH_PASSPHRASE = 'bench-only passphrase, not a secret';

/** Progress on stderr so a long full-size run shows it is alive; results go to files, not stdout. */
export const progress = (msg: string): void => { process.stderr.write(`  · ${msg}\n`); };
