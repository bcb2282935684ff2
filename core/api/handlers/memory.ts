import { createMemory, getMemory, previewMemoryAs, importMemories, listMemories, updateMemory } from '../../memories/memories';
import { deleteMemory, restoreMemory } from '../../memories/lifecycle';
import { shareMemory } from '../../memories/share';
import { setBand } from '../../memories/band';
import { searchMemories } from '../../search/search';
import type { HandlersOf } from '../handler';

// every memory decision needs the memory's own facts: the domain asks the policy for each one
export const memoryHandlers: HandlersOf<'memory'> = {
  'memory.create': ({ ctx, actor }, p) => createMemory(ctx, actor, p),
  'memory.import': ({ ctx, actor }, p) => importMemories(ctx, actor, p.space_id, p.memories),
  'memory.get': ({ ctx, actor }, p) => getMemory(ctx, actor, p.memory_id),
  'memory.previewAs': ({ ctx, actor }, p) => previewMemoryAs(ctx, actor, p.memory_id, p.member_id, p.space_id),
  'memory.update': ({ ctx, actor }, p) => updateMemory(ctx, actor, p.memory_id, p.patch, p.base_version),
  'memory.list': ({ ctx, actor }, p) => listMemories(ctx, actor, p),
  'memory.search': ({ ctx, actor }, p) => searchMemories(ctx, actor, p),
  'memory.delete': ({ ctx, actor }, p) => deleteMemory(ctx, actor, p.memory_id, p.confirm === true),
  'memory.restore': ({ ctx, actor }, p) => restoreMemory(ctx, actor, p.memory_id),
  'memory.share': ({ ctx, actor }, p) => shareMemory(ctx, actor, p.memory_id, p.target_space_id, p.consent === true, p.dry_run === true),
  'memory.setBand': ({ ctx, actor }, p) => setBand(ctx, actor, p.memory_id, p.band, p.recipients, p.reauth),
};
