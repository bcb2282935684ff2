import { cancelJob, getJob, listJobs } from '../../jobs/jobs';
import type { HandlersOf } from '../handler';

export const jobHandlers: HandlersOf<'job'> = {
  'job.get': ({ ctx, actor }, p) => ({ job: getJob(ctx, actor, p.job_id) }),
  'job.list': ({ ctx, actor }, p) => ({ jobs: listJobs(ctx, actor, p.limit ?? 100) }),
  'job.cancel': ({ ctx, actor }, p) => ({ job: cancelJob(ctx, actor, p.job_id) }),
};
