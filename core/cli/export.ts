import { resolve } from 'node:path';
import type { Job } from '../../contracts/types';
import { ApiError } from '../shared/errors';
import type { CliArgs } from './args';
import { flags } from './command-flags';
import { withCore } from './core-session';
import { progressBar, waitForJob } from './job-wait';
import { readPassphrase } from './passphrase';

/**
 * `memoryos export`: starts privacy.export, shows its progress on stderr when that is a terminal,
 * and prints the finished job (its result names the file) as JSON. BLACK memories need the
 * passphrase again; --encrypt asks for the export's own passphrase (MEMORYOS_EXPORT_PASSPHRASE).
 */
export async function exportCommand(args: CliArgs): Promise<{ job: Job }> {
  const { opts } = flags(args.rest, { out: 'value', 'include-black': 'bool', encrypt: 'bool', subject: 'value' });
  const params: Record<string, unknown> = {};
  if (typeof opts.out === 'string') params.out = resolve(opts.out);
  if (typeof opts.subject === 'string') params.subject = opts.subject;
  if (opts['include-black']) { params.include_black = true; params.reauth = { passphrase: await readPassphrase('Passphrase (again, for BLACK memories): ') }; }
  if (opts.encrypt) {
    const p = await readPassphrase('Passphrase for the export file: ', 'MEMORYOS_EXPORT_PASSPHRASE');
    if (!process.env.MEMORYOS_EXPORT_PASSPHRASE && (await readPassphrase('Repeat it: ', 'MEMORYOS_EXPORT_PASSPHRASE_REPEAT')) !== p) {
      throw new ApiError('INVALID_INPUT', 'the two passphrases differ');
    }
    params.encrypt = { passphrase: p };
  } else if (process.stderr.isTTY) {
    process.stderr.write('The export is written unencrypted: anyone with the file can read it (use --encrypt to protect it).\n');
  }
  return withCore(args, 'privacy.export', async (call) => {
    const { job } = (await call('privacy.export', params)) as { job: Job };
    const bar = process.stderr.isTTY ? progressBar(process.stderr, 'Exporting') : null;
    const end = await waitForJob(call, job, (j) => bar?.update(j));
    bar?.end();
    if (end.status !== 'done') throw new ApiError((end.error?.code as never) ?? 'INTERNAL', end.error?.message ?? `the export ended ${end.status}`, { job_id: end.job_id, status: end.status });
    return { job: end };
  });
}

/** `memoryos verify-export FILE`: every hash, nothing unlisted, the signature (by --key when given). */
export async function verifyExportCommand(args: CliArgs): Promise<{ valid: boolean } & Record<string, unknown>> {
  const { opts, positional } = flags(args.rest, { key: 'value' });
  const file = positional[0];
  if (!file) throw new ApiError('INVALID_INPUT', 'usage: memoryos verify-export FILE [--key BASE64]');
  const { initCrypto, verifyExport, isEncryptedArchive } = await import('../app/export-file');
  await initCrypto();
  const path = resolve(file);
  const passphrase = (await isEncryptedArchive(path).catch(() => false)) ? await readPassphrase('Passphrase for the export file: ', 'MEMORYOS_EXPORT_PASSPHRASE') : undefined;
  const r = await verifyExport(path, { publicKey: typeof opts.key === 'string' ? opts.key : undefined, passphrase });
  if (!r.valid) return { valid: false, file: path, first_bad: r.first_bad };
  return {
    valid: true, file: path, files: r.files, encrypted: r.encrypted, subject: r.subject, generated_at: r.generated_at, signing_device: r.signing_device,
    // without --key the signature is checked against the key the manifest names: compare it with device.list
    key_checked: typeof opts.key === 'string' ? 'given' : 'manifest',
  };
}
