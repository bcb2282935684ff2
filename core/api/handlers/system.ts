import type { Handlers } from '../handler';
import type { Registry } from '../../registry/registry';

export function systemHandlers(registry: Registry, methods: () => { method: string; summary: string; requiresUnlock: boolean }[]): Pick<Handlers, 'system.health' | 'system.components' | 'system.metrics' | 'system.methods'> {
  return {
    'system.health': () => registry.health(2000),
    'system.components': () => ({ components: registry.components() }),
    'system.metrics': ({ ctx }) => ({ text: ctx.metrics.render() }),
    'system.methods': () => ({ methods: methods() }),
  };
}
