/** A component's manifest: what it is, which layer, what it needs, how healthy it is. */
export interface Manifest {
  id: string;
  /** 0 resources (SQLite, crypto, file system) · 1 services · 2 actors (API router, scheduler) */
  layer: 0 | 1 | 2;
  dependencies: string[];
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
  health(): HealthReport | Promise<HealthReport>;
}
export interface HealthReport { status: 'ok' | 'degraded' | 'down'; detail?: string }
export interface ComponentHealth { id: string; layer: 0 | 1 | 2; status: 'ok' | 'degraded' | 'down' | 'timeout'; detail?: string }

/** Process-local registry: boots in dependency order, fails loudly, aggregates health. A registry, not a framework. */
export class Registry {
  private manifests = new Map<string, Manifest>();
  private order: string[] = [];
  private booted = new Set<string>();

  register(m: Manifest): void {
    if (this.manifests.has(m.id)) throw new Error(`component ${m.id} registered twice`);
    this.manifests.set(m.id, m);
  }

  /** Topological order; throws on a missing dependency, a cycle, or a dependency on a higher layer. */
  resolveOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (id: string, path: string[]) => {
      const m = this.manifests.get(id);
      if (!m) throw new Error(`component ${path[path.length - 1]} depends on unknown component ${id}`);
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') throw new Error(`dependency cycle: ${[...path, id].join(' → ')}`);
      state.set(id, 'visiting');
      for (const d of m.dependencies) {
        const dep = this.manifests.get(d);
        if (dep && dep.layer > m.layer) throw new Error(`component ${id} (layer ${m.layer}) depends on ${d} (layer ${dep.layer})`);
        visit(d, [...path, id]);
      }
      state.set(id, 'done');
      order.push(id);
    };
    for (const id of [...this.manifests.keys()].sort((a, b) => this.manifests.get(a)!.layer - this.manifests.get(b)!.layer)) visit(id, []);
    return order;
  }

  async boot(): Promise<void> {
    this.order = this.resolveOrder();
    for (const id of this.order) {
      try {
        await this.manifests.get(id)!.start?.();
      } catch (e) {
        throw new Error(`boot failed at component ${id}: ${(e as Error).message}`);
      }
      this.booted.add(id);
    }
  }

  async stop(): Promise<void> {
    for (const id of [...this.order].reverse()) {
      if (!this.booted.has(id)) continue;
      try { await this.manifests.get(id)!.stop?.(); } catch { /* stop the rest regardless */ }
      this.booted.delete(id);
    }
  }

  components(): { id: string; layer: 0 | 1 | 2; dependencies: string[]; booted: boolean }[] {
    const ids = this.order.length ? this.order : [...this.manifests.keys()];
    return ids.map((id) => { const m = this.manifests.get(id)!; return { id, layer: m.layer, dependencies: [...m.dependencies], booted: this.booted.has(id) }; });
  }

  /** Every component's health, each bounded by one global timeout. */
  async health(timeoutMs = 2000): Promise<{ status: 'ok' | 'degraded' | 'down'; components: ComponentHealth[]; elapsed_ms: number }> {
    const t0 = performance.now();
    const deadline = new Promise<'timeout'>((resolve) => { const t = setTimeout(() => resolve('timeout'), timeoutMs); t.unref?.(); });
    const components = await Promise.all(this.components().map(async (c): Promise<ComponentHealth> => {
      const m = this.manifests.get(c.id)!;
      try {
        const r = await Promise.race([Promise.resolve().then(() => m.health()), deadline]);
        if (r === 'timeout') return { id: c.id, layer: c.layer, status: 'timeout', detail: `no answer within ${timeoutMs} ms` };
        return { id: c.id, layer: c.layer, status: r.status, ...(r.detail ? { detail: r.detail } : {}) };
      } catch (e) {
        return { id: c.id, layer: c.layer, status: 'down', detail: (e as Error).message.slice(0, 200) };
      }
    }));
    const worst = components.some((c) => c.status === 'down' && c.layer === 0) ? 'down'
      : components.some((c) => c.status !== 'ok') ? 'degraded' : 'ok';
    return { status: worst, components, elapsed_ms: Math.round((performance.now() - t0) * 1000) / 1000 };
  }
}
