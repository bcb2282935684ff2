import { create } from 'zustand';
import type { SystemHealthResponse } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { parsePrometheus, type Sample } from '../lib/metrics';
import { api } from './client';

interface DiagnosticsState {
  health: SystemHealthResponse | null;
  samples: Sample[];
  /** system.metrics as the host wrote it (Prometheus text) */
  raw: string;
  busy: boolean;
  error: string | null;
  /** reads health and metrics; on the Diagnostics screen's open and its Refresh button, never on a timer */
  load(): Promise<void>;
  reset(): void;
}

const initial = { health: null, samples: [], raw: '', busy: false, error: null };
/** bumped by reset(): answers to calls made before it are dropped (the screen was left) */
let generation = 0;

export const useDiagnostics = create<DiagnosticsState>((set) => ({
  ...initial,
  async load() {
    const g = generation;
    set({ busy: true });
    try {
      const [health, m] = await Promise.all([api().call('system.health', {}), api().call('system.metrics', {})]);
      if (g === generation) set({ health, raw: m.text, samples: parsePrometheus(m.text), error: null });
    } catch (e) { if (g === generation) set({ error: describeError(e) }); } finally { if (g === generation) set({ busy: false }); }
  },
  reset() {
    generation++;
    set(initial);
  },
}));
