import type { ApiError as ApiErrorBody, Reason } from '../../../contracts/types';

export type ErrorCode = ApiErrorBody['error']['code'] | 'TRANSPORT';

/** A failed call as the renderer sees it: the contract's error shape, plus transport failures. */
export class ApiCallError extends Error {
  /** the API method that failed (set by the client), so the sentence can say what was asked */
  method: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: unknown = null,
    method?: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
    this.method = method;
  }

  /** Policy reasons of a FORBIDDEN (a DENY decision), empty for other errors. */
  get reasons(): Reason[] {
    const d = this.details as { reasons?: unknown } | null;
    return Array.isArray(d?.reasons) ? (d!.reasons as Reason[]) : [];
  }

  /** The schema problems of an INVALID_INPUT: which fields were refused. */
  get problems(): { path: string; message: string }[] {
    const d = this.details as { problems?: unknown } | null;
    return Array.isArray(d?.problems) ? (d!.problems as { path: string; message: string }[]) : [];
  }

  static from(body: unknown): ApiCallError {
    const e = (body as Partial<ApiErrorBody> | null)?.error;
    if (e && typeof e.code === 'string') return new ApiCallError(e.code, String(e.message ?? e.code), e.details ?? null);
    return new ApiCallError('TRANSPORT', 'malformed error from the host');
  }
}

/** What a refused field is, in words (the first segment of a schema path). */
const FIELD_WORDS: Record<string, string> = {
  title: 'the title (at most 500 characters)',
  body: 'the text',
  tags: 'a tag (1 to 200 characters each)',
  people: 'a person’s name (1 to 200 characters each)',
  places: 'a place (1 to 200 characters each)',
  occurred_at: 'the date it happened',
  expires_at: 'the expiry date',
  name: 'the name (1 to 200 characters)',
  passphrase: 'the passphrase (at least 8 characters)',
  new_passphrase: 'the new passphrase (at least 8 characters)',
  old_passphrase: 'the current passphrase',
  recovery_key: 'the recovery key',
  path: 'the path (a whole path of a folder or file on this computer)',
  mime: 'the file’s type',
  pin: 'the PIN (4 to 12 digits)',
  address: 'the address (as host:port)',
  invite: 'the invite',
  role: 'the role',
  recipients: 'the people it is sealed to',
  query: 'the search',
  undo_window_seconds: 'the undo window (1 second to 7 days)',
  auto_lock_minutes: 'the auto-lock time (0 to 1440 minutes)',
  trash_retention_days: 'how long the trash keeps memories (1 to 3650 days)',
};

function fieldsOf(e: ApiCallError): string[] {
  const words = new Set<string>();
  for (const p of e.problems) {
    const segs = p.path.split('/').filter(Boolean).filter((s) => !/^\d+$/.test(s) && s !== 'patch' && s !== 'settings' && s !== 'reauth');
    const w = segs.length ? FIELD_WORDS[segs[segs.length - 1]] ?? FIELD_WORDS[segs[0]] : undefined;
    if (w) words.add(w);
  }
  return [...words];
}

/** The policy's reasons in people's words; the core's own message where there is no better one. */
const REASON_WORDS: Record<string, string> = {
  BAND_BLOCKS_SHARE: 'a Red or Black memory cannot be shared into another space',
  BLACK_AT_CREATION_ONLY: 'a memory can only be made Black when it is written',
  BLACK_LOCAL_ONLY: 'a Black memory is readable only by its author, on the device that wrote it',
  CONFIRM_REQUIRED: 'destroying a Black memory needs your confirmation',
  CONSENT_REQUIRED: 'moving an Amber memory to a wider space needs your consent',
  NOT_AUTHOR: 'only its author (or a guardian of the space) may do that',
  NOT_A_MEMBER: 'you are not a member of that space',
  NOT_LOCAL_MEMBER: 'that person’s keys are not held on this device',
  NOT_ORIGIN_DEVICE: 'that can only be done on the device that wrote the memory',
  NOT_OWNER: 'only its owner or a guardian may do that',
  REAUTH_REQUIRED: 'it needs your passphrase again',
  RED_NOT_RECIPIENT: 'a Red memory is readable only by its author and the people it is sealed to',
  ROLE_BAND: 'your role in that space does not allow memories of this band',
  MISSING_CAP_WRITE: 'your role in that space does not allow writing',
  MISSING_CAP_RECALL: 'your role in that space does not allow reading',
  MISSING_CAP_PROJECT: 'your role in that space does not allow sharing out of it',
  MISSING_CAP_ADMIN: 'only a guardian of the space may do that',
  SESSION_BOUND: 'this window is switched to another profile; switch profiles (with its PIN) to act as someone else',
  NOT_SUBJECT: 'only that person themself, or the owner of this vault, may do that',
};

export function reasonInWords(r: Reason): string {
  return REASON_WORDS[r.code] ?? r.message;
}

/** Known CONFLICT and BUSY messages of the core, in people's words (matched by a phrase). */
const CONFLICT_WORDS: [RegExp, string][] = [
  [/deletion of this memory already waits/, 'This memory is already being deleted: undo that first, or let it go through.'],
  [/already committed/, 'Too late to undo: it has already gone through.'],
  [/already undone/, 'That was already taken back.'],
  [/already failed/, 'That action already failed; there is nothing left to undo.'],
  [/already in the trash/, 'This memory is already in the trash.'],
  [/not in the trash/, 'This memory is not in the trash any more.'],
  [/in the trash/, 'This memory is in the trash: restore it first.'],
  [/went to the trash before/, 'The memory went to the trash before the share went through.'],
  [/does not remove themselves/, 'You cannot remove yourself from a space you are the guardian of.'],
  [/already in the space/, 'That person is already in this space.'],
  [/no longer in the space/, 'That person is no longer in this space.'],
  [/base_version|newer than this memory/, 'This memory changed on another device meanwhile. Open it again and redo the last change.'],
  [/only a new device can join/, 'Only a new device, one that holds no memories yet, can join with an invite.'],
  [/invite comes from this device/, 'That invite was made on this device: use it on the other one.'],
  [/space with that id/, 'A space with that name already exists on this device.'],
  [/revoked/, 'That device was revoked.'],
  [/cannot revoke itself/, 'This device cannot revoke itself: revoke it from another of your devices.'],
  [/owner is confirmed here/, 'Only a device of this vault’s owner can be confirmed here.'],
  [/BLACK memory never left/, 'A Black memory never left this device: destroy it instead.'],
  [/erased/, 'That memory was erased.'],
];
const BUSY_WORDS: [RegExp, string][] = [
  [/no answer from|did not answer|cannot reach/, 'The other device did not answer. Check that it is on and running MemoryOS, then try again.'],
  [/sync (runs|is not running)/, 'Sync is not running here: it runs while MemoryOS serves this vault (memoryos serve).'],
  [/core worker stopped/, 'MemoryOS is restarting its core. Try again in a moment.'],
  [/another host|serving this data directory/, 'Another MemoryOS is already open on this vault. Use that one, or close it first.'],
  [/connection closed before/, 'The other device went away before it answered. Try again.'],
];

/** import.run's refusals (some arrive as a failed job, without their details), matched by a phrase */
const IMPORT_WORDS: [RegExp, string][] = [
  [/no file or folder at/, 'There is nothing at that path on this computer. Check it, and that the export is finished.'],
  [/format of path was not recognised/, 'MemoryOS does not recognise what is there as an export it reads. Check the path, or choose the format.'],
  [/encrypted: give its passphrase/, 'This backup is encrypted: enter its passphrase.'],
  [/passphrase is only for an encrypted/, 'This backup is not encrypted: leave the passphrase empty.'],
  [/not (a|an) (Evernote|Google Keep|Joplin|folder of Markdown)/, 'What is at that path is not in the format chosen. Choose another format, or let MemoryOS find it out.'],
  [/absolute path/, 'Enter the whole path, from the top of the disk.'],
];

const NOT_FOUND_WORDS: [RegExp, string][] = [
  [/^memory\./, 'That memory is no longer here: it may have been destroyed, or it is in a space you are no longer in.'],
  [/^space\./, 'That space is not on this device, or you are not in it.'],
  [/^device\.|^sync\./, 'That device is not known here.'],
  [/^undo\./, 'That action is no longer waiting.'],
  [/^member\./, 'That person is not known here.'],
  [/^attachment\./, 'That file is no longer with this memory: it was removed, or the memory was erased.'],
  [/^import\./, 'There is nothing at that path on this computer. Check it, and that the export is finished.'],
  [/^job\./, 'That job is not known here any more.'],
];

/** The sentence for a failed call; every error code has one (tests/unit/renderer/errors.test.ts). */
export function errorSentence(e: ApiCallError): string {
  const method = e.method ?? '';
  const pick = (table: [RegExp, string][], text: string) => table.find(([re]) => re.test(text))?.[1];
  switch (e.code) {
    case 'BAD_CREDENTIALS':
      if (method === 'session.switchProfile') return /wrong PIN/.test(e.message) ? 'That PIN is not right.' : 'This profile has a PIN: enter it to switch.';
      if (/recovery/.test(e.message)) return 'That recovery key is not right.';
      if (method === 'vault.changePassphrase') return 'The current passphrase is not right.';
      if (method === 'import.run') return 'That passphrase does not open this backup.';
      return 'That passphrase is not right.';
    case 'INVALID_INPUT': {
      if ((e.details as { door_has_sessions?: unknown } | null)?.door_has_sessions === false) return 'This window cannot switch profiles: open MemoryOS through the link `npm start` prints to switch between family profiles.';
      if (method === 'vault.unlock') return e.problems.some((p) => p.path.includes('recovery_key')) && !e.problems.some((p) => p.path.includes('passphrase'))
        ? 'That recovery key is not right.' : 'That passphrase is not right.';
      const why = (e.details as { reason?: unknown; max_bytes?: unknown } | null)?.reason;
      if (why === 'TOO_LARGE') {
        const max = Number((e.details as { max_bytes?: unknown }).max_bytes);
        return `That file is larger than this vault accepts${Number.isFinite(max) && max > 0 ? ` (${Math.round(max / 1_048_576).toLocaleString('en-US')} MB at most)` : ''}.`;
      }
      if (why === 'TOO_LARGE_INLINE') return 'That file is too large to open in this window (2 MB at most here): save it to a folder on this computer instead.';
      const fields = fieldsOf(e);
      if (fields.length) return `This is not accepted: check ${fields.join(', and ')}.`;
      if (method === 'import.run') return pick(IMPORT_WORDS, e.message) ?? 'MemoryOS could not read an export there. Check the path, and that it is one of the formats listed (or choose the format).';
      if (/address/.test(e.message)) return 'Enter the address as host:port, for example 192.168.1.20:4848.';
      if (/invite/.test(e.message)) return 'That invite is not complete: paste it whole, as the other device showed it.';
      return 'Something you entered is not accepted. Check the fields and try again.';
    }
    case 'UNKNOWN_METHOD':
      return 'This window and the MemoryOS core are different versions. Restart MemoryOS so they match.';
    case 'NOT_FOUND':
      return pick(NOT_FOUND_WORDS, method) ?? 'That is no longer here.';
    case 'FORBIDDEN': {
      const reasons = e.reasons.map(reasonInWords);
      return reasons.length ? `Not allowed: ${[...new Set(reasons)].join('; ')}.` : 'Not allowed by the rules of this space.';
    }
    case 'LOCKED':
      return 'The vault is locked. Unlock it to go on.';
    case 'NO_VAULT':
      return 'There is no vault here yet: create one first.';
    case 'VAULT_EXISTS':
      return 'There already is a vault here: unlock it instead.';
    case 'CONFLICT':
      return pick(CONFLICT_WORDS, e.message) ?? 'That could not be done: something changed meanwhile. Look again and retry.';
    case 'UNAUTHORIZED':
      return 'This window is no longer signed in to MemoryOS. Open the link MemoryOS printed when it started.';
    case 'BUSY':
      return pick(BUSY_WORDS, e.message) ?? 'MemoryOS is busy. Try again in a moment.';
    case 'INTERNAL':
      return 'Something went wrong inside MemoryOS. Try again; if it keeps happening, the Diagnostics screen shows which part is unwell.';
    case 'RATE_LIMITED': {
      const at = Date.parse(String((e.details as { retry_at?: unknown } | null)?.retry_at ?? ''));
      const secs = Number.isFinite(at) ? Math.max(1, Math.ceil((at - Date.now()) / 1000)) : null;
      const what = method === 'session.switchProfile' ? 'Too many wrong PINs' : 'Too many wrong attempts';
      return secs ? `${what}: try again in ${secs} s.` : `${what}: wait a moment, then try again.`;
    }
    case 'CORRUPT':
      if (/^attachment\./.test(method)) return 'This file is damaged on this device and cannot be opened. A synced device may still hold a good copy.';
      break;
    case 'TRANSPORT':
      if (/timed out/.test(e.message)) return 'MemoryOS took too long to answer. Try again.';
      return 'MemoryOS is not answering: it may have stopped. Start it again and open the link it prints.';
  }
  return 'Something went wrong. Try again.';
}

/**
 * The sentence for a failed job (job.get's error). A job fails with an API error code, or with
 * INTERRUPTED, a job's own: the process running it stopped (it is marked failed at the next boot).
 */
export function jobErrorSentence(err: { code: string; message: string }, method: string): string {
  if (err.code === 'INTERRUPTED') return 'MemoryOS stopped before the job finished, and removed what it had written. Start it again.';
  return errorSentence(new ApiCallError(err.code as ErrorCode, err.message, null, method));
}

/** One line a person can read, for any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof ApiCallError) return errorSentence(e);
  if (e instanceof Error) return e.message;
  return String(e);
}
