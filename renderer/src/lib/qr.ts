import { create } from 'qrcode';

/** A QR code as one SVG path in module units (one unit per module), quiet zone not included. */
export interface QrPath {
  size: number;
  d: string;
}

/**
 * Encodes text as a QR code and draws its dark modules as one path, each horizontal run of dark
 * modules one rectangle: a few hundred path commands instead of thousands of <rect>s, and no
 * canvas or data: URL (the host's CSP allows neither for images drawn here).
 * Error correction M: an invite is read off a nearby screen, not a crumpled print.
 */
export function qrPath(text: string): QrPath {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  let d = '';
  for (let row = 0; row < size; row++) {
    let col = 0;
    while (col < size) {
      if (!modules.get(row, col)) { col++; continue; }
      const start = col;
      while (col < size && modules.get(row, col)) col++;
      d += `M${start} ${row}h${col - start}v1h${start - col}z`;
    }
  }
  return { size, d };
}
