/** A stored record that failed authentication, or that disagrees with its authenticated source. */
export interface RecordProblem {
  record: 'memory';
  id: string;
  space_id: string;
  kind: 'tampered' | 'corrupt';
  /** tampered: which plaintext columns disagreed with the sealed metadata */
  fields: string[];
}

/**
 * Every record problem this process has seen, so one damaged record degrades only itself:
 * lists skip it and say how many, system.health names it, and each is audited once.
 */
export class ProblemLog {
  private readonly seen = new Map<string, RecordProblem & { reported: boolean }>();

  note(p: RecordProblem): void {
    const prev = this.seen.get(p.id);
    if (!prev || prev.kind !== p.kind) this.seen.set(p.id, { ...p, reported: false });
  }

  /** A record that authenticates again (rewritten, rebuilt or erased) is no longer a problem. */
  clear(id: string): void { this.seen.delete(id); }

  has(id: string): boolean { return this.seen.has(id); }
  get size(): number { return this.seen.size; }
  all(): RecordProblem[] { return [...this.seen.values()].map(({ reported: _r, ...p }) => p); }

  /** Problems not audited yet; marks them as taken. */
  takeUnreported(): RecordProblem[] {
    const out: RecordProblem[] = [];
    for (const p of this.seen.values()) if (!p.reported) { p.reported = true; const { reported: _r, ...rest } = p; out.push(rest); }
    return out;
  }

  inSpaces(spaces: Set<string>): number { let n = 0; for (const p of this.seen.values()) if (spaces.has(p.space_id)) n++; return n; }
}
