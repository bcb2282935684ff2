import type { BenchSize } from './options';
import { row, type Row } from './report';
import { measureEdits, type EditSync } from './sync-edit';
import { stopHost } from './sync-hosts';
import { measureInitialSync, type InitialSync } from './sync-initial';

export interface SyncResult { rows: Row[]; details: { initial: InitialSync; edit: EditSync } }

/** The sync figures of spec §10: two `memoryos serve` processes on loopback, beside raw Yjs over TCP. */
export async function runSync(size: BenchSize): Promise<SyncResult> {
  const { result: initial, hosts } = await measureInitialSync(size.sync_n, size.batch);
  let edit: EditSync;
  try {
    edit = await measureEdits(hosts, size.sync_edits);
  } finally {
    await Promise.all([stopHost(hosts.a), stopHost(hosts.b), hosts.peerA.stop(), hosts.peerB.stop()]);
  }
  const n = initial.n.toLocaleString('en-US');
  const whole = row(`initial sync, ${n} memories (pairAccept → B verified, lists all)`, 's', initial.ours.to_verified_ms / 1000, initial.baseline.ms / 1000, '≤ 5 s and ≤ 2× baseline');
  whole.met = whole.ours <= 5 && whole.ratio !== null && whole.ratio <= 2;
  return {
    rows: [
      whole,
      row(`  pairAccept → B lists all ${n}`, 's', initial.ours.to_listed_ms / 1000, initial.baseline.ms / 1000),
      row('  pairAccept → both device.confirm done', 's', initial.ours.confirms_done_ms / 1000, null),
      // CPU seconds, which the other load on a shared machine skews less than wall time: the receiving host beside the receiving raw-Yjs process
      row('  CPU of B (receiving host) over the initial sync', 's', initial.ours.b_cpu_ms / 1000, initial.baseline.cpu_ms / 1000),
      row('  CPU of A (sending host) over the initial sync', 's', initial.ours.a_cpu_ms / 1000, null),
      row(`one edit reaching a connected peer p50 (${edit.edits} edits)`, 'ms', edit.ours.p50, edit.baseline.p50),
      row(`one edit reaching a connected peer p95 (${edit.edits} edits)`, 'ms', edit.ours.p95, edit.baseline.p95, '≤ 200 ms', (v) => v <= 200),
      row('  of which memory.update on A p50', 'ms', edit.update_call.p50, null),
    ],
    details: { initial, edit },
  };
}
