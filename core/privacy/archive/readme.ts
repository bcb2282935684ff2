/**
 * README.md of the archive: the information GDPR Art. 15(1) asks for, in plain words, built only
 * from what the caller passes (the export job knows the vault; this module knows none of it).
 *
 * Sections, each with a fixed heading so that a checker can find it:
 *   What this archive is · Purposes (15(1)(a)) · Categories of data (b) · Recipients (c) ·
 *   Retention (d) · Your rights (e: rectification, erasure, restriction, objection; and
 *   portability, Art. 20) · Complaint (f: a supervisory authority) · Source of the data (g) ·
 *   Automated decision-making (h: none) · Left out of this archive (Art. 15(4)) · Files ·
 *   Checking this archive.
 */

export interface ReadmeCategory {
  /** e.g. "Memories" */
  name: string;
  /** plain words: what it is */
  description: string;
  /** how many of them are in this archive */
  count?: number;
}

export interface ReadmeSpace {
  space_id: string;
  name: string;
  kind: string;
  /** the members the space syncs to (the subject included), with their role there */
  members: { name: string; role?: string | null }[];
  /** the devices the space syncs to */
  devices: { device_id: string; name?: string | null; platform?: string | null; member_name?: string | null }[];
}

export interface ReadmeParams {
  subject: { member_id: string; name: string };
  generated_at: string;
  app_version: string;
  /** plain words, one line each */
  purposes: string[];
  categories: ReadmeCategory[];
  /** per space: who and which devices its memories are synced to */
  recipients: ReadmeSpace[];
  retention: {
    /** trash_retention_days: trashed items are erased this many days later */
    trash_days: number;
    /** the default lifetime of a working memory, when there is one (its expires_at decides) */
    working_default_days?: number | null;
    /** anything else kept and for how long, plain words */
    other?: string[];
  };
  /** where the data came from, plain words (default: entered by the subject on their devices) */
  sources?: string[];
  /** Art. 15(4): what was left out */
  left_out: {
    /** memories by other people in shared spaces: counted, not copied */
    others_memories: number;
    /** the same, per space */
    by_space?: { space_name: string; count: number }[];
    /** RED memories of others the subject is not a recipient of (never readable by them) */
    red_not_recipient?: number;
  };
  /** whether BLACK memories are in the archive (only on their origin device, after re-authentication) */
  black: { included: boolean; count: number; reason?: string };
  /** whether the archive was written encrypted with a passphrase */
  encrypted?: boolean;
  /** whom to ask to exercise the rights (default: the guardian who runs this MemoryOS vault) */
  contact?: string;
  /** default: the data protection authority of the EU/EEA country of residence, work or infringement */
  supervisory_authority?: string;
  /** what files of the archive hold, path → plain words (default: the standard layout) */
  files?: Record<string, string>;
}

const DEFAULT_FILES: Record<string, string> = {
  'manifest.json': 'every other file with its size and SHA-256, who the archive is about, when and by which device it was made',
  'manifest.sig': 'the signing device\'s Ed25519 signature over the exact bytes of manifest.json (base64)',
  'memories/<id>.json': 'one memory, every field, valid against the export-memory schema (machine-readable, Art. 20)',
  'memories/<id>.md': 'the same memory for reading: its fields as YAML front matter, then its text',
  'spaces.json': 'the spaces you belong to, their members and your role in each',
  'members.json': 'you and the names you see for the other members',
  'devices.json': 'your devices and their public keys',
  'settings.json': 'your settings, including the consents you gave',
  'audit.json': 'your own entries in the audit log',
  'attachments/': 'files attached to your memories',
};

const esc = (s: string): string => s.replace(/[\\`*_[\]<>|#]/g, (c) => '\\' + c).replace(/\r?\n/g, ' ');
const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

export function renderReadme(p: ReadmeParams): string {
  const out: string[] = [];
  const line = (s = ''): void => { out.push(s); };
  const contact = p.contact ?? 'the guardian who runs this MemoryOS vault (the person who set it up)';

  line(`# Your MemoryOS data: ${esc(p.subject.name)}`);
  line();
  line('## What this archive is');
  line();
  line(`This archive holds a copy of the personal data MemoryOS keeps about **${esc(p.subject.name)}** ` +
    `(member id \`${p.subject.member_id}\`), made on ${p.generated_at} by MemoryOS ${esc(p.app_version)}. ` +
    'It is your copy under Article 15 of the GDPR (the right of access) and, in the JSON files, ' +
    'in a machine-readable form you can take elsewhere (Article 20, data portability).');
  if (p.encrypted) line('It was written encrypted with a passphrase: without the passphrase nobody can read it.');
  else line('It is not encrypted: anyone who gets hold of this file can read it. Keep it somewhere safe, or export it again with a passphrase.');
  line();

  line('## Purposes');
  line();
  line('Why this data is processed:');
  line();
  for (const s of p.purposes) line(`- ${esc(s)}`);
  line();

  line('## Categories of data');
  line();
  line('The kinds of personal data concerned:');
  line();
  for (const c of p.categories) line(`- **${esc(c.name)}**${c.count !== undefined ? ` (${c.count} in this archive)` : ''}: ${esc(c.description)}`);
  line();

  line('## Recipients');
  line();
  line('MemoryOS has no server that keeps your memories. Each space is synced, end-to-end encrypted, ' +
    'directly between the devices of its members; the recipients of your data are those members and devices. ' +
    'A RED memory can only be opened by its author and the people it is sealed to, and a BLACK memory never leaves the device it was written on.');
  line();
  if (p.recipients.length === 0) line('None of your spaces is synced to anyone.');
  for (const s of p.recipients) {
    line(`### ${esc(s.name)} (\`${s.space_id}\`, ${esc(s.kind)})`);
    line();
    const members = s.members.map((m) => esc(m.name) + (m.role ? ` (${esc(m.role)})` : ''));
    line(`- Members it syncs to: ${members.length ? members.join(', ') : 'nobody but you'}`);
    const devices = s.devices.map((d) => {
      const details = [d.member_name ? esc(d.member_name) : null, d.platform ? esc(d.platform) : null, `\`${d.device_id}\``].filter(Boolean);
      return `${d.name ? esc(d.name) : 'a device'} (${details.join(', ')})`;
    });
    line(`- Devices it syncs to: ${devices.length ? devices.join('; ') : 'none but this one'}`);
    line();
  }

  line('## Retention');
  line();
  line('How long data is kept:');
  line();
  line('- A memory is kept until you, or someone allowed to in its space, deletes it.');
  line(`- A deleted memory goes to the trash; the trash is emptied ${plural(p.retention.trash_days, 'day')} later, ` +
    'and emptying erases it on every device: its keys are destroyed and its encrypted copies purged.');
  const wd = p.retention.working_default_days;
  line(`- A working memory (a short-lived note) moves to the trash when its expiry time passes${wd ? ` (by default ${plural(wd, 'day')} after it was written)` : ''}, and is then erased with the trash.`);
  for (const o of p.retention.other ?? []) line(`- ${esc(o)}`);
  line();

  line('## Your rights');
  line();
  line(`You can ask ${contact} for any of these; for what is yours alone, you can do it yourself in the app:`);
  line();
  line('- **Rectification**: have wrong or incomplete data corrected (edit the memory).');
  line('- **Erasure**: have your data deleted; MemoryOS erases it on every device it was synced to.');
  line('- **Restriction** of processing: have your data kept but no longer used or synced, for example while a correction is checked.');
  line('- **Objection**: object to the processing of your data, on grounds relating to your situation.');
  line('- **Portability**: receive your data in a machine-readable form (the JSON files of this archive) and take it to another service.');
  line('- **Withdraw consent** at any time, in the settings, where processing rests on a consent you gave.');
  line();

  line('## Complaint');
  line();
  line(`You have the right to lodge a complaint with a supervisory authority: ${p.supervisory_authority ?? 'the data protection authority of the EU or EEA country where you live, where you work, or where you think the infringement took place (the list is at https://edpb.europa.eu/about-edpb/about-edpb/members_en)'}.`);
  line();

  line('## Source of the data');
  line();
  line('Where the data came from:');
  line();
  for (const s of p.sources ?? [
    'You: everything in this archive was written by you on your devices, or given by you (your name, your settings and consents).',
    'Your devices: each memory records the device it was written on; the audit entries record what your devices did.',
    'Memories others wrote and sealed to you (RED, with you as a recipient) came from their author\'s device through sync.',
  ]) line(`- ${esc(s)}`);
  line();

  line('## Automated decision-making');
  line();
  line('No automated decision-making, including profiling, takes place: MemoryOS makes no decision about you that has legal or similarly significant effects. ' +
    'Its policy only decides who may read or share a memory, from the band and the roles that people set.');
  line();

  line('## Left out of this archive');
  line();
  line('Under Article 15(4) a copy must not harm the rights of others, so content written by other people is not copied here:');
  line();
  line(`- ${plural(p.left_out.others_memories, 'memory', 'memories')} written by other members in shared spaces you belong to ${p.left_out.others_memories === 1 ? 'was' : 'were'} counted and left out.`);
  for (const s of p.left_out.by_space ?? []) line(`  - ${esc(s.space_name)}: ${s.count}`);
  if (p.left_out.red_not_recipient) line(`- ${plural(p.left_out.red_not_recipient, 'RED memory', 'RED memories')} of others that ${p.left_out.red_not_recipient === 1 ? 'is' : 'are'} not sealed to you ${p.left_out.red_not_recipient === 1 ? 'is' : 'are'} not readable by you and not included.`);
  if (p.black.included) {
    line(`- BLACK memories **were included** (${p.black.count}): they exist only on this device, and you confirmed who you are before the export.`);
  } else {
    line(`- BLACK memories were **not included**${p.black.count ? ` (${p.black.count} not copied)` : ''}: ${esc(p.black.reason ?? 'they never leave the device they were written on, and are exported only on that device, when asked for, after you confirm who you are')}.`);
  }
  line();

  line('## Files');
  line();
  for (const [path, what] of Object.entries(p.files ?? DEFAULT_FILES)) line(`- \`${path}\`: ${esc(what)}`);
  line();

  line('## Checking this archive');
  line();
  line('`memoryos verify-export FILE` checks that every file is listed in manifest.json with the right size and SHA-256, ' +
    'that nothing else is in the archive, and that manifest.sig is a valid signature by the device key shown in manifest.json ' +
    '(compare it with the key `memoryos call device.list` shows for that device).');
  line();
  return out.join('\n');
}

export const readmeBytes = (p: ReadmeParams): Buffer => Buffer.from(renderReadme(p), 'utf8');
