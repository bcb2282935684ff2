import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli';

/** An Ajv of its own, loaded straight from contracts/: the tests check answers against the law, not against core's copy. */
const dir = join(ROOT, 'contracts');
const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
export const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
for (const f of walk(dir).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(f, 'utf8')));

export const methods: Record<string, { method: string; request: any; response: any; requiresUnlock: boolean }> = {};
for (const f of readdirSync(join(dir, 'api', 'methods'))) {
  const d = JSON.parse(readFileSync(join(dir, 'api', 'methods', f), 'utf8'));
  methods[d.method] = d;
}
export const topics: Record<string, { version: string; payload: string }> = JSON.parse(readFileSync(join(dir, 'events', 'topics.json'), 'utf8')).topics;

const responseValidators = new Map<string, ReturnType<typeof ajv.compile>>();
/** Throws with Ajv's errors when a method's answer breaks its response schema. */
export function assertResponse(method: string, value: unknown): void {
  let v = responseValidators.get(method);
  if (!v) responseValidators.set(method, (v = ajv.compile(methods[method].response)));
  if (!v(value)) throw new Error(`${method} answer breaks its contract: ${JSON.stringify(v.errors)}`);
}

export function validateEnvelope(env: any): string | null {
  const v = ajv.getSchema('https://memoryos.dev/contracts/events/envelope.schema.json')!;
  if (!v(env)) return JSON.stringify(v.errors);
  const [name] = String(env.topic).split('@');
  const t = topics[name];
  if (!t) return 'unknown topic ' + name;
  const pv = ajv.getSchema('https://memoryos.dev/contracts/events/' + t.payload)!;
  if (!pv(env.payload)) return JSON.stringify(pv.errors);
  return null;
}
