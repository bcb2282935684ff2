import type { Samples } from './drive';
import type { BenchSize } from './options';
import type { ProfileSummary } from './cpu-profile';
import type { Piece } from './pieces';
import { percentile } from './stats';

const out = (s: string) => process.stdout.write(s + '\n');
const pct = (x: number) => `${x.toFixed(1).padStart(5)} %`;

/** Where MemoryOS's time goes: CPU profiles of extra work (after timing) and the pieces timed alone. */
export function printProfile(s: Samples, size: BenchSize): void {
  const profile = s.extras.ours.profile as Record<string, ProfileSummary> | undefined;
  const pieces = s.extras.ours.pieces as { pieces: Piece[]; modeled_us_per_create: number; modeled_us_per_import_item: number } | undefined;
  for (const [name, p] of Object.entries(profile ?? {})) {
    out(`\nwhere ${name === 'unlock' ? 'vault.unlock (with the index build)' : 'memory.' + name} spends its CPU (profiled after timing, ${p.total_ms.toFixed(0)} ms sampled):`);
    for (const c of p.by_component.slice(0, 12)) out(`  ${pct(c.pct)}  ${c.component}`);
    out('  inclusive, core functions:');
    for (const f of p.core_inclusive.slice(0, 14)) out(`  ${pct(f.pct)}  ${f.fn}`);
    out('  SQLite and CSPRNG time by calling core function:');
    for (const f of p.native_by_caller.slice(0, 8)) out(`  ${pct(f.pct)}  ${f.component} ← ${f.caller}`);
  }
  if (!pieces) return;
  out('\npieces timed alone (µs each × times per call, counted from the core code):');
  for (const p of pieces.pieces) {
    out(`  ${p.us_each.toFixed(1).padStart(8)} µs × ${String(p.per_create).padStart(4)} = ${p.us_per_create.toFixed(0).padStart(5)} µs/create, ${p.us_per_import_item.toFixed(0).padStart(5)} µs/imported  ${p.piece}`);
  }
  const createP50 = percentile(s.create_ms.ours, 50) * 1000;
  const perImported = (s.import_ms.ours.reduce((a, b) => a + b, 0) * 1000) / size.n;
  out(`  modeled: ${pieces.modeled_us_per_create.toFixed(0)} µs per memory.create (measured p50 ${createP50.toFixed(0)} µs), ${pieces.modeled_us_per_import_item.toFixed(0)} µs per imported memory (measured ${perImported.toFixed(0)} µs)`);
}

/** A probe's profile per unit of work (µs per memory, per create): components, core inclusive, native by caller. */
export function printProbeProfile(p: ProfileSummary, count: number, unit: string): void {
  const per = (ms: number) => `${(ms * 1000 / count).toFixed(1)} µs/${unit}`;
  out(`\nprofile ${p.total_ms.toFixed(0)} ms = ${per(p.total_ms)}\n-- self time by component`);
  for (const c of p.by_component.slice(0, 25)) out(`${c.pct.toFixed(1).padStart(5)} %  ${per(c.ms).padStart(16)}  ${c.component}`);
  out('-- core inclusive');
  for (const c of p.core_inclusive) out(`${c.pct.toFixed(1).padStart(5)} %  ${per(c.ms).padStart(16)}  ${c.fn}`);
  out('-- native by caller');
  for (const c of p.native_by_caller.slice(0, 25)) out(`${c.pct.toFixed(1).padStart(5)} %  ${per(c.ms).padStart(16)}  ${c.component} ← ${c.caller}`);
}
