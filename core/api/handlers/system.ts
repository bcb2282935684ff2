import type { Registry } from '../../registry/registry';
import type { HandlersOf } from '../handler';

export function systemHandlers(registry: Registry, methods: () => { method: string; summary: string; requiresUnlock: boolean }[]): HandlersOf<'system'> {
  return {
    'system.health': () => registry.health(2000),
    'system.components': () => ({ components: registry.components() }),
    'system.metrics': ({ ctx }) => ({ text: ctx.metrics.render() }),
    'system.methods': () => ({ methods: methods() }),
  };
}
