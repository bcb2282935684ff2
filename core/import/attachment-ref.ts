import type { ImportedAttachment } from './item';

/**
 * How a body refers to one of its item's attachments: the URL `attachment:<sha256>`, in a
 * Markdown image (`![pie.png](attachment:…)`) for images and a link (`[policy.pdf](attachment:…)`)
 * for other files. The importer stores the files and rewrites these URLs with `rewriteAttachmentRefs`.
 */
export const ATTACHMENT_SCHEME = 'attachment:';

/** every `attachment:<sha256>` in a body; group 1 is the hash */
export const ATTACHMENT_REF = /attachment:([0-9a-f]{64})/g;

export const attachmentUrl = (sha256: string): string => ATTACHMENT_SCHEME + sha256;

const escapeLabel = (s: string): string => s.replace(/([\\[\]])/g, '\\$1');

/** the Markdown for an attachment where it sat: an image when embedded and `image/*`, a link otherwise */
export function attachmentMarkdown(a: Pick<ImportedAttachment, 'name' | 'mime' | 'sha256'>, label = a.name, embed = true): string {
  const link = `[${escapeLabel(label || a.name)}](${attachmentUrl(a.sha256)})`;
  return embed && a.mime.startsWith('image/') ? '!' + link : link;
}

/** replaces each `attachment:<sha256>` by `to(sha256)` (a reference the importer has no mapping for stays as it is) */
export function rewriteAttachmentRefs(body: string, to: (sha256: string) => string | undefined): string {
  return body.replace(ATTACHMENT_REF, (whole, sha: string) => to(sha) ?? whole);
}
