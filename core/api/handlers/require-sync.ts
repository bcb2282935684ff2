import { ApiError } from '../../shared/errors';
import type { CallContext } from '../handler';
import type { SyncPort } from '../sync-port';

export function requireSync(call: CallContext): SyncPort {
  if (!call.sync) throw new ApiError('BUSY', 'sync runs inside `memoryos serve`: start the host for this data directory first');
  return call.sync;
}
