import { useEffect } from 'react';
import { histogramQuantile, sum } from '../lib/metrics';
import { useDiagnostics } from '../stores/diagnostics';

function Metric({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return <div className="metric" data-testid={testId}><div className="value">{value}</div><div className="name">{name}</div></div>;
}

const ms = (s: number | null) => (s === null ? '—' : s === Infinity ? '> 5 s' : s < 1 ? `≤ ${Math.round(s * 1000 * 10) / 10} ms` : `≤ ${s} s`);

export function DiagnosticsScreen() {
  const health = useDiagnostics((s) => s.health);
  const samples = useDiagnostics((s) => s.samples);
  const raw = useDiagnostics((s) => s.raw);
  const error = useDiagnostics((s) => s.error);
  const busy = useDiagnostics((s) => s.busy);
  const load = () => useDiagnostics.getState().load();
  // read on opening and on Refresh; leaving the screen forgets it, as before
  useEffect(() => {
    void useDiagnostics.getState().load();
    return () => useDiagnostics.getState().reset();
  }, []);

  const calls = sum(samples, 'memoryos_api_calls_total');
  const failed = sum(samples, 'memoryos_api_calls_total', (l) => l.code !== 'OK');
  const rss = sum(samples, 'memoryos_process_resident_bytes');
  return (
    <section className="screen" aria-labelledby="diag-title">
      <div className="row" style={{ marginBottom: 10 }}>
        <h1 id="diag-title" className="grow">Diagnostics</h1>
        <button className="btn" type="button" onClick={() => void load()} disabled={busy}>Refresh</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <h2>Key metrics</h2>
      <div className="metrics">
        <Metric name="API calls (failed)" value={`${calls} (${failed})`} testId="metric-calls" />
        <Metric name="API call p95" value={ms(histogramQuantile(samples, 'memoryos_api_call_seconds', 0.95))} />
        <Metric name="Memories in the search index" value={String(sum(samples, 'memoryos_search_indexed'))} />
        <Metric name="Unlock: index build p95" value={ms(histogramQuantile(samples, 'memoryos_unlock_index_seconds', 0.95))} />
        <Metric name="Host memory (RSS)" value={rss ? `${Math.round(rss / 1048576)} MB` : '—'} />
        <Metric name="Events emitted" value={String(sum(samples, 'memoryos_events_total'))} />
        <Metric name="Subscriber failures" value={String(sum(samples, 'memoryos_subscriber_failures_total'))} />
      </div>
      <h2>Component health {health && <span className={`status-${health.status}`} data-testid="health-status">{health.status}</span>}</h2>
      {health && (
        <table data-testid="health-table">
          <thead><tr><th scope="col">Component</th><th scope="col">Layer</th><th scope="col">Status</th><th scope="col">Detail</th></tr></thead>
          <tbody>
            {health.components.map((c) => (
              <tr key={c.id}><td>{c.id}</td><td>{c.layer}</td><td className={`status-${c.status}`}>{c.status}</td><td>{c.detail ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {health && <p className="muted" style={{ marginTop: 6 }}>Checked in {health.elapsed_ms} ms.</p>}
      <details style={{ marginTop: 12 }}>
        <summary>All metrics (Prometheus text)</summary>
        <pre className="raw" tabIndex={0} aria-label="All metrics">{raw}</pre>
      </details>
    </section>
  );
}
