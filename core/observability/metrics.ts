type Labels = Record<string, string>;

const key = (name: string, labels: Labels = {}): string => {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${labels[k].replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
};

// Latency buckets in seconds, Prometheus convention.
const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Counters, gauges and histograms rendered as Prometheus text. */
export class Metrics {
  private counters = new Map<string, { name: string; value: number }>();
  private gauges = new Map<string, { name: string; fn: () => number }>();
  private hists = new Map<string, { name: string; labels: Labels; counts: number[]; sum: number; n: number }>();
  private help = new Map<string, string>();

  inc(name: string, labels?: Labels, by = 1): void {
    const k = key(name, labels);
    const c = this.counters.get(k) ?? { name, value: 0 };
    c.value += by;
    this.counters.set(k, c);
  }

  gauge(name: string, fn: () => number, help?: string): void {
    this.gauges.set(name, { name, fn });
    if (help) this.help.set(name, help);
  }

  observe(name: string, seconds: number, labels: Labels = {}): void {
    const k = key(name, labels);
    let h = this.hists.get(k);
    if (!h) this.hists.set(k, (h = { name, labels, counts: BUCKETS.map(() => 0), sum: 0, n: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.n++;
  }

  counterValue(name: string, labels?: Labels): number {
    return this.counters.get(key(name, labels))?.value ?? 0;
  }

  render(): string {
    const out: string[] = [];
    const typed = new Set<string>();
    const type = (name: string, t: string) => {
      if (typed.has(name)) return;
      typed.add(name);
      if (this.help.has(name)) out.push(`# HELP ${name} ${this.help.get(name)}`);
      out.push(`# TYPE ${name} ${t}`);
    };
    for (const [k, c] of [...this.counters].sort()) { type(c.name, 'counter'); out.push(`${k} ${c.value}`); }
    for (const g of this.gauges.values()) { type(g.name, 'gauge'); out.push(`${g.name} ${g.fn()}`); }
    for (const h of this.hists.values()) {
      type(h.name, 'histogram');
      BUCKETS.forEach((b, i) => out.push(`${key(h.name + '_bucket', { ...h.labels, le: String(b) })} ${h.counts[i]}`));
      out.push(`${key(h.name + '_bucket', { ...h.labels, le: '+Inf' })} ${h.n}`);
      out.push(`${key(h.name + '_sum', h.labels)} ${h.sum}`);
      out.push(`${key(h.name + '_count', h.labels)} ${h.n}`);
    }
    return out.join('\n') + '\n';
  }
}
