import { useMemo } from 'react';
import { qrPath } from '../lib/qr';

/**
 * A QR code drawn as SVG, dark on white in both themes: scanners need the contrast and the quiet
 * zone (4 modules) whatever the app's colours are.
 */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const qr = useMemo(() => qrPath(text), [text]);
  const box = qr.size + 8;
  return (
    <svg className="qr" role="img" aria-label={label} width={size} height={size} viewBox={`-4 -4 ${box} ${box}`} shapeRendering="crispEdges" data-testid="qr">
      <rect x={-4} y={-4} width={box} height={box} fill="#fff" />
      <path d={qr.d} fill="#000" />
    </svg>
  );
}
