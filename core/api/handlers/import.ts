import { startImport } from '../../importer/run';
import type { HandlersOf } from '../handler';

export const importHandlers: HandlersOf<'import'> = {
  'import.run': ({ ctx, actor }, p) => ({ job: startImport(ctx, actor, p) }),
};
