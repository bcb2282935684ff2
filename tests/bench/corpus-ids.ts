/**
 * Which corpus memory (memoryAt(i), or extraMemoryAt(j) as n + j) a MemoryOS memory id stands
 * for, so ours' search hits can be compared with the baseline's by corpus position (top-20
 * overlap). ULIDs sort by creation and the bench writes the corpus in order, so the ids are kept
 * as one fixed-width string searched by bisection (2.6 MB at 100k, beside the side's ~260 MB RSS,
 * instead of a map of 100k strings); an id that does not sort after the previous one (the clock
 * stepped back) goes to a small map.
 */
const WIDTH = 26;

export class CorpusIds {
  private text = '';
  private indexes: number[] = [];
  private last = '';
  private outOfOrder = new Map<string, number>();

  add(id: string, index: number): void {
    if (id.length === WIDTH && id > this.last) {
      this.text += id;
      this.indexes.push(index);
      this.last = id;
    } else {
      this.outOfOrder.set(id, index);
    }
  }

  /** The corpus index of `id`, or -1 for an id the bench did not write. */
  indexOf(id: string): number {
    const o = this.outOfOrder.get(id);
    if (o !== undefined) return o;
    let lo = 0;
    let hi = this.indexes.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = this.text.slice(mid * WIDTH, (mid + 1) * WIDTH);
      if (at === id) return this.indexes[mid]!;
      if (at < id) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
}
