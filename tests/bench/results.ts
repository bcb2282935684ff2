import type { QueryKind } from './corpus';
import type { ProfileSummary } from './cpu-profile';
import type { Piece } from './pieces';
import type { Latency } from './stats';

/** What each measuring child writes; run.ts reads both and sets them side by side. */
export interface SideResult {
  import: { memories: number; batch: number; total_ms: number; per_s: number; batch_ms: Latency };
  create: Latency;
  search: { all: Latency; by_kind: Record<QueryKind, Latency>; hits: number[] };
  unlock: { total_ms: number };
  rss: { after_load: number };
}

export interface OursResult extends SideResult {
  unlock: { total_ms: number; open_ms: number; unlock_call_ms: number; first_search_ms: number; index_build_ms: number; argon2id_ms: number };
  rss: { after_load: number; after_unlock: number };
  profile: { import: ProfileSummary; create: ProfileSummary; unlock: ProfileSummary } | null;
  pieces: { pieces: Piece[]; modeled_us_per_create: number; modeled_us_per_import_item: number } | null;
}

export interface BaselineResult extends SideResult { key: string }
