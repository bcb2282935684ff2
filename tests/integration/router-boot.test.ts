import { afterAll, describe, expect, it } from 'vitest';
import { apiCatalog } from '../../core/api/catalog';
import { Router } from '../../core/api/router';
import { openTestApp } from '../helpers/app';

/**
 * The one authorization seam starts at the contract: every method names its policy action, and
 * the router refuses to boot with a method whose contract names none (or one the policy does not know).
 */
describe('the router boots only with every method ruled', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  afterAll(async () => { await t?.close(); });

  it('boots on the real catalog, and refuses a method without a policy action or with an unknown one', async () => {
    t = await openTestApp({ create: false });
    const handlers = (t.app.router as unknown as { handlers: ConstructorParameters<typeof Router>[1] }).handlers;
    expect(() => new Router(t.app.ctx, handlers, () => null)).not.toThrow();
    const without = new Map([...apiCatalog()].map(([m, d]) => [m, m === 'memory.get' ? { ...d, policyAction: undefined } : d]));
    expect(() => new Router(t.app.ctx, handlers, () => null, without)).toThrow(/names no known policy action: memory\.get/);
    const unknown = new Map([...apiCatalog()].map(([m, d]) => [m, m === 'undo.apply' ? { ...d, policyAction: 'undo.anything' } : d]));
    expect(() => new Router(t.app.ctx, handlers, () => null, unknown)).toThrow(/undo\.apply/);
    // and every real contract names an action the policy document rules
    for (const d of apiCatalog().values()) expect(d.policyAction, d.method).toMatch(/^[a-z]+(\.[a-zA-Z]+)+$/);
  });
});
