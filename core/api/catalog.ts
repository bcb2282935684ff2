import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { contractsDir } from '../shared/paths';
import { compileInline } from '../schemas/validator';

export interface MethodDescriptor {
  method: string;
  summary: string;
  requiresUnlock: boolean;
  /** the policy action the router decides before the method runs (contracts/policy/policy.json) */
  policyAction: string | undefined;
  request: object;
  response: object;
  validateRequest: ValidateFunction;
  validateResponse: ValidateFunction;
}

let catalog: Map<string, MethodDescriptor> | undefined;

/** contracts/api/methods/*.json, each with its request and response schema compiled. */
export function apiCatalog(): Map<string, MethodDescriptor> {
  if (catalog) return catalog;
  const dir = join(contractsDir(), 'api', 'methods');
  catalog = new Map();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    catalog.set(d.method, {
      method: d.method, summary: d.summary, requiresUnlock: d.requiresUnlock, policyAction: d.policyAction, request: d.request, response: d.response,
      validateRequest: compileInline(d.request), validateResponse: compileInline(d.response),
    });
  }
  return catalog;
}
