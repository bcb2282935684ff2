import { startImport } from '../../importer/run';
import type { HandlersOf } from '../handler';

export const importHandlers: HandlersOf<'import'> = {
  'import.run': async ({ ctx, actor }, p) => ({ job: await startImport(ctx, actor, p) }),
};
