import { createHash } from 'node:crypto';

/** SHA-256 as lowercase hex (OpenSSL through node:crypto). */
export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
