import type { Job } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64 } from '../crypto/sodium';
import { JobCancelled, startJob } from '../jobs/jobs';
import { verifyExport, VerifyCancelled } from './archive';
import { exportFilePath } from './export';

/**
 * privacy.verifyExport: reads an export archive back as a reader would check it, as a job of its
 * own. It is not part of the export job: at 100k memories reading 200k entries back takes longer
 * than writing them, and the privacy center shows the export done first, then its "verified" mark.
 */
export function startVerifyExport(ctx: Ctx, actor: string, p: { path: string; public_key?: string; passphrase?: string }): Job {
  const path = exportFilePath(ctx, p.path, 'path');
  const publicKey = p.public_key ?? b64(keys(ctx).deviceSign.publicKey);
  return startJob(ctx, 'verify', actor, { path }, async (job) => {
    try {
      const r = await verifyExport(path, { publicKey, passphrase: p.passphrase, onProgress: (done, total) => job.progress(done, total), cancelled: () => job.cancelled });
      return r.valid ? { valid: true, path, files: r.files, encrypted: r.encrypted } : { valid: false, path, first_bad: r.first_bad };
    } catch (e) {
      if (e instanceof VerifyCancelled) throw new JobCancelled();
      throw e;
    }
  });
}
