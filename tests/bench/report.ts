/** Turns the children's results into the table spec §10 asks for: figure | ours | baseline | ratio | target. */

export interface Row {
  figure: string;
  unit: 'ms' | 's' | 'memories/s' | 'MB' | 'MB/s';
  ours: number;
  baseline: number | null;
  /** cost relative to the baseline: ours ÷ baseline for times and sizes, baseline ÷ ours for rates */
  ratio: number | null;
  target: string;
  /** null: no target for this figure */
  met: boolean | null;
}

export function row(figure: string, unit: Row['unit'], ours: number, baseline: number | null, target = '—', check?: (v: number) => boolean): Row {
  const ratio = baseline === null || baseline === 0 ? null : unit === 'memories/s' || unit === 'MB/s' ? baseline / ours : ours / baseline;
  return { figure, unit, ours, baseline, ratio, target, met: check ? check(ours) : null };
}

function fmt(v: number | null, unit: Row['unit']): string {
  if (v === null || Number.isNaN(v)) return '—';
  if (unit === 'memories/s') return `${Math.round(v).toLocaleString('en-US')}/s`;
  if (unit === 'MB') return `${v.toFixed(0)} MB`;
  if (unit === 'MB/s') return `${v.toFixed(1)} MB/s`;
  if (unit === 's') return `${v.toFixed(2)} s`;
  return `${v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
}

const ratioText = (r: number | null) => (r === null ? '—' : `${r < 10 ? r.toFixed(1) : Math.round(r)}×`);
const targetText = (r: Row) => (r.met === null ? r.target : `${r.target} ${r.met ? '(met)' : '(NOT met)'}`);

/** One row on one line, printed as soon as its phase ends (the table comes at the end of the run). */
export const rowLine = (r: Row): string =>
  `${r.figure.trim()}: ours ${fmt(r.ours, r.unit)}, baseline ${fmt(r.baseline, r.unit)}, ratio ${ratioText(r.ratio)}${r.target === '—' ? '' : `, target ${targetText(r)}`}`;

export function table(rows: Row[]): string {
  const head = ['figure', 'ours', 'baseline', 'ratio', 'spec target'];
  const cells = rows.map((r) => [r.figure, fmt(r.ours, r.unit), fmt(r.baseline, r.unit), ratioText(r.ratio), targetText(r)]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => '| ' + c.map((x, i) => (i === 0 || i === 4 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join(' | ') + ' |';
  return [line(head), '|' + w.map((n, i) => (i === 0 || i === 4 ? ':' + '-'.repeat(n + 1) : '-'.repeat(n + 1) + ':')).join('|') + '|', ...cells.map(line)].join('\n');
}
