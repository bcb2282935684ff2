import { extname } from 'node:path';

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  svg: 'image/svg+xml', bmp: 'image/bmp', tif: 'image/tiff', tiff: 'image/tiff', heic: 'image/heic',
  heif: 'image/heif', avif: 'image/avif', ico: 'image/x-icon',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', markdown: 'text/markdown',
  csv: 'text/csv', html: 'text/html', htm: 'text/html', json: 'application/json', xml: 'application/xml',
  rtf: 'application/rtf', zip: 'application/zip',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text', ods: 'application/vnd.oasis.opendocument.spreadsheet',
  mp3: 'audio/mpeg', m4a: 'audio/mp4', aac: 'audio/aac', wav: 'audio/wav', ogg: 'audio/ogg', oga: 'audio/ogg',
  opus: 'audio/opus', flac: 'audio/flac', amr: 'audio/amr', '3gp': 'video/3gpp',
  mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', avi: 'video/x-msvideo',
};

const BY_MIME: Record<string, string> = Object.fromEntries(
  Object.entries(BY_EXTENSION).reverse().map(([ext, mime]) => [mime, ext]),
);

export const OCTET_STREAM = 'application/octet-stream';

/** the MIME type a file name suggests (application/octet-stream when it suggests none) */
export const mimeFromName = (name: string): string => BY_EXTENSION[extname(name).slice(1).toLowerCase()] ?? OCTET_STREAM;

/** a file extension for a MIME type (without the dot), for naming a resource that has no name */
export const extensionFromMime = (mime: string): string => BY_MIME[mime.toLowerCase()] ?? 'bin';

/** a valid-looking MIME type from the source, else the one the name suggests */
export const mimeOr = (given: unknown, name: string): string =>
  typeof given === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(given.trim()) ? given.trim().toLowerCase() : mimeFromName(name);
