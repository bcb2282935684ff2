/**
 * What the editor may do with a memory's file in this window (issue 12). The rules are about
 * what a browser does with bytes: an image shown in an <img> runs nothing (SVG included); a file
 * opened in a tab becomes a document of this app's origin, so only types that cannot run script
 * (raster images, PDF, plain text) are opened, and every other file is only saved.
 */

/** attachment.add's data_base64 and attachment.get's inline answer both stop at 2 MiB (contracts: the router takes 4 MiB of params) */
export const INLINE_MAX_BYTES = 2 * 1024 * 1024;
/** the same, as said to people */
export const INLINE_MAX_MB = INLINE_MAX_BYTES / (1024 * 1024);

const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/svg+xml']);
const OPENABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'application/pdf', 'text/plain']);

const base = (mime: string) => mime.split(';')[0].trim().toLowerCase();

/** the type to show an image inline with, or null (not an image a browser draws) */
export function inlineImageType(mime: string): string | null {
  const m = base(mime);
  return INLINE_IMAGES.has(m) ? m : null;
}

/** the type to open a file in a tab with, or null (save it instead); text of any kind opens as plain text */
export function openableType(mime: string): string | null {
  const m = base(mime);
  if (OPENABLE.has(m)) return m;
  if (m.startsWith('text/') || m === 'application/json') return 'text/plain';
  return null;
}

/** the bytes of a base64 string (atob: no fetch of a data: URL, which the CSP's connect-src refuses) */
export function bytesOfBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A name for a pasted image, which comes without one: "Pasted 2026-12-02 14.50.png". */
export function pastedName(mime: string, at = new Date()): string {
  const ext = ({ 'image/jpeg': 'jpg', 'image/svg+xml': 'svg' } as Record<string, string>)[base(mime)] ?? (base(mime).split('/')[1] ?? 'bin').replace(/[^a-z0-9]/gi, '');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Pasted ${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}.${pad(at.getMinutes())}.${pad(at.getSeconds())}.${ext || 'bin'}`;
}

/** A type the contract accepts (type/subtype, no spaces), from what the browser says or the name. */
export function mimeOf(type: string, name: string): string {
  if (/^[^\s/]+\/[^\s]+$/.test(type)) return type;
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXT[ext] ?? 'application/octet-stream';
}

const MIME_BY_EXT: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', json: 'application/json', zip: 'application/zip',
  mp4: 'video/mp4', mov: 'video/quicktime', mp3: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** the last part of a path a person typed (either kind of slash) */
export const baseName = (p: string): string => p.split(/[\\/]/).filter(Boolean).pop() ?? p;

/** The size to draw a w×h picture at so that its longer side is at most `max` (never enlarged). */
export function fitWithin(w: number, h: number, max: number): { width: number; height: number } {
  const k = Math.min(1, max / Math.max(w, h, 1));
  return { width: Math.max(1, Math.round(w * k)), height: Math.max(1, Math.round(h * k)) };
}

/** "IMG_2041.HEIC" → "IMG_2041 (smaller).jpg" */
export const smallerName = (name: string): string => `${name.replace(/\.[^.]+$/, '') || 'picture'} (smaller).jpg`;

/**
 * A smaller copy of a picture too large for this window to send: drawn again, its longer side at
 * most 2560 px, as JPEG, the quality lowered until it fits. It is a copy, named so; the original
 * can still be added by its path. null: the browser cannot draw this picture.
 */
export async function smallerImage(file: File, maxBytes = INLINE_MAX_BYTES): Promise<File | null> {
  let bitmap: ImageBitmap;
  try { bitmap = await createImageBitmap(file); } catch { return null; }
  for (const side of [2560, 1920, 1280]) {
    const { width, height } = fitWithin(bitmap.width, bitmap.height, side);
    const canvas = document.createElement('canvas');
    canvas.width = width; canvas.height = height;
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, width, height);
    for (const quality of [0.85, 0.7]) {
      const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
      if (blob && blob.size <= maxBytes) { bitmap.close(); return new File([blob], smallerName(file.name), { type: 'image/jpeg' }); }
    }
  }
  bitmap.close();
  return null;
}
