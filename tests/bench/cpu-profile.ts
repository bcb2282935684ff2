import { Session } from 'node:inspector';
import { relative } from 'node:path';
import { ROOT } from './core-dist';

/** The V8 CPU profile format (Profiler.stop), just the parts we read. */
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

export interface ProfileSummary {
  total_ms: number;
  /** self time by component: where the CPU actually was */
  by_component: { component: string; ms: number; pct: number }[];
  /** inclusive time of core functions: which step of a call costs what */
  core_inclusive: { fn: string; ms: number; pct: number }[];
  /** SQLite and CSPRNG time split by the nearest core function up the stack: which statement site costs what */
  native_by_caller: { component: string; caller: string; ms: number; pct: number }[];
}

function post<T>(s: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => s.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

/** Samples the CPU (100 µs interval) while fn runs; `inclusiveTop`: how many core functions the inclusive list keeps. */
export async function cpuProfile(fn: () => Promise<void>, inclusiveTop = 25): Promise<ProfileSummary> {
  const s = new Session();
  s.connect();
  try {
    await post(s, 'Profiler.enable');
    await post(s, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(s, 'Profiler.start');
    await fn();
    const { profile } = await post<{ profile: Profile }>(s, 'Profiler.stop');
    return summarizeProfile(profile, inclusiveTop);
  } finally {
    s.disconnect();
  }
}

// better-sqlite3-multiple-ciphers's native methods have no script url; `Statement` is the native constructor behind db.prepare()
const SQLITE_NATIVE = new Set(['run', 'get', 'all', 'iterate', 'prepare', 'exec', 'pragma', 'pluck', 'raw', 'expand', 'columns', 'bind', 'transaction', 'sqlTransaction', 'Statement', 'Database']);

/** Which part of the stack a frame belongs to; ajv's compiled validators are anonymous scripts named validate<N>. */
function componentOf(fn: string, url: string, parentUrl = ''): string {
  if (fn === '(garbage collector)') return 'V8 garbage collector';
  if (fn === '(program)' || fn === '(idle)' || fn === '(root)') return 'V8 other (program)';
  if (/node_modules\/(yjs|lib0)\//.test(url)) return 'Yjs (CRDT docs, encode/merge)';
  // sodium-native's functions are native frames named for libsodium's own (crypto_*)
  if (/libsodium|sodium-native/.test(url) || url.startsWith('wasm://') || (url === '' && fn.startsWith('crypto_'))) return 'libsodium (AEAD, Ed25519, BLAKE2b)';
  if (/node_modules\/(ajv|ajv-formats|fast-uri|fast-deep-equal)\//.test(url) || (url === '' && /^validate\d*$/.test(fn))) return 'ajv (JSON Schema validation)';
  // native frames have no url: tell them apart by their caller (crypto's RandomBytesJob also has a native `run`)
  if (url === '' && parentUrl.startsWith('node:internal/crypto')) return 'CSPRNG (crypto.randomBytes / getRandomValues)';
  if (/node_modules\/better-sqlite3-multiple-ciphers\//.test(url) || (url === '' && SQLITE_NATIVE.has(fn))) return 'SQLite (better-sqlite3-multiple-ciphers: prepare, step, commit)';
  if (url.includes('/dist/core/')) return 'core JS: ' + relative(ROOT + '/dist/core', url.replace(/^file:\/\//, '')).replace(/\.js$/, '');
  if (fn === 'RandomBytesJob' || fn === 'getRandomValues' || fn === 'randomFillSync') return 'CSPRNG (crypto.randomBytes / getRandomValues)';
  if (url.startsWith('node:') || url === '') return `node/V8 builtins${fn ? ` (${fn})` : ''}`;
  return 'other JS: ' + relative(ROOT, url.replace(/^file:\/\//, ''));
}

export function summarizeProfile(p: Profile, inclusiveTop = 25): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // timeDeltas[i + 1] is the time the sample i was current
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }
  const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const total = [...self.values()].reduce((a, b) => a + b, 0) - idle;

  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const component = (id: number) => {
    const cf = byId.get(id)!.callFrame;
    const up = parent.get(id);
    return componentOf(cf.functionName, cf.url, up === undefined ? '' : byId.get(up)!.callFrame.url);
  };
  const comp = new Map<string, number>();
  for (const [id, t] of self) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const c = component(id);
    comp.set(c, (comp.get(c) ?? 0) + t);
  }
  // small builtins clutter the list: fold anything under 1% into one line
  const folded = new Map<string, number>();
  for (const [c, t] of comp) {
    const key = t / total < 0.01 ? (c.startsWith('core JS') ? 'core JS: other files (<1% each)' : 'other (<1% each)') : c;
    folded.set(key, (folded.get(key) ?? 0) + t);
  }

  const coreName = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} (${relative(ROOT + '/dist/core', n.callFrame.url.replace(/^file:\/\//, '')).replace(/\.js$/, '')})`;

  // inclusive time per core function, counting a recursive function once per stack
  const inclusive = new Map<string, number>();
  const walk = (id: number, onStack: Set<string>): number => {
    const n = byId.get(id)!;
    let t = self.get(id) ?? 0;
    const isCore = n.callFrame.url.includes('/dist/core/');
    const key = isCore ? coreName(n) : '';
    const fresh = isCore && !onStack.has(key);
    if (fresh) onStack.add(key);
    for (const c of n.children ?? []) t += walk(c, onStack);
    if (fresh) { onStack.delete(key); inclusive.set(key, (inclusive.get(key) ?? 0) + t); }
    return t;
  };
  walk(p.nodes[0]!.id, new Set());

  const byCaller = new Map<string, { component: string; caller: string; t: number }>();
  for (const [id, t] of self) {
    const c = component(id);
    if (!c.startsWith('SQLite') && !c.startsWith('CSPRNG')) continue;
    let up = parent.get(id);
    while (up !== undefined && !byId.get(up)!.callFrame.url.includes('/dist/core/')) up = parent.get(up);
    const caller = up === undefined ? '(outside core)' : coreName(byId.get(up)!);
    const k = c + '|' + caller;
    const e = byCaller.get(k) ?? { component: c, caller, t: 0 };
    e.t += t;
    byCaller.set(k, e);
  }

  const ms = (us: number) => Math.round(us / 10) / 100;
  const pct = (us: number) => Math.round((1000 * us) / total) / 10;
  return {
    total_ms: ms(total),
    by_component: [...folded].sort((a, b) => b[1] - a[1]).map(([component, t]) => ({ component, ms: ms(t), pct: pct(t) })),
    core_inclusive: [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, inclusiveTop).map(([fn, t]) => ({ fn, ms: ms(t), pct: pct(t) })),
    native_by_caller: [...byCaller.values()].sort((a, b) => b.t - a.t).slice(0, 15).map((e) => ({ component: e.component.split(' ')[0]!, caller: e.caller, ms: ms(e.t), pct: pct(e.t) })),
  };
}
