import type { ImportRunRequest, Job } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import { ApiError } from '../shared/errors';

/** import.run: checked at the call, then read and written by a job (filled in the next commits). */
export function startImport(_ctx: Ctx, _actor: string, _p: ImportRunRequest): Job {
  throw new ApiError('INTERNAL', 'import.run is not wired yet');
}
