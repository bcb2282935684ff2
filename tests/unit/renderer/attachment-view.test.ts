import { describe, expect, it } from 'vitest';
import { bytesOfBase64, inlineImageType, mimeOf, openableType, pastedName } from '../../../renderer/src/lib/attachment-view';
import { insertBlock, removeAttachmentRefs } from '../../../renderer/src/lib/markdown';

const ID = '01JD0000000000000000000ABC';

describe('attachments in the editor (issue 12)', () => {
  it('shows images inline, opens only types that run no script, and saves the rest', () => {
    expect(inlineImageType('image/png')).toBe('image/png');
    expect(inlineImageType('IMAGE/JPEG; charset=x')).toBe('image/jpeg');
    expect(inlineImageType('image/svg+xml')).toBe('image/svg+xml'); // inert in an <img>
    expect(inlineImageType('application/pdf')).toBeNull();
    expect(openableType('application/pdf')).toBe('application/pdf');
    expect(openableType('text/html')).toBe('text/plain'); // never rendered as a page of this origin
    expect(openableType('image/svg+xml')).toBeNull(); // an SVG document may run script
    expect(openableType('application/octet-stream')).toBeNull();
  });

  it('names pasted images, and gives a type the contract accepts', () => {
    expect(pastedName('image/png', new Date(2026, 11, 2, 14, 5, 9))).toBe('Pasted 2026-12-02 14.05.09.png');
    expect(pastedName('image/jpeg', new Date(2026, 0, 1))).toMatch(/\.jpg$/);
    expect(mimeOf('image/png', 'x')).toBe('image/png');
    expect(mimeOf('', 'policy.PDF')).toBe('application/pdf');
    expect(mimeOf('', 'noext')).toBe('application/octet-stream');
    expect(Array.from(bytesOfBase64('AAEC/w=='))).toEqual([0, 1, 2, 255]);
  });

  it('places a file on a line of its own, and takes its references out when it is removed', () => {
    expect(insertBlock('ab', 1, 'X')).toBe('a\nX\nb');
    expect(insertBlock('a\n', 2, 'X')).toBe('a\nX');
    expect(insertBlock('', 5, 'X')).toBe('X');
    const body = `See ![pie \\[1\\]](attachment:${ID}) and [policy.pdf](attachment:${ID}), not [other](attachment:01JD0000000000000000000XYZ).`;
    expect(removeAttachmentRefs(body, ID)).toBe('See pie [1] and policy.pdf, not [other](attachment:01JD0000000000000000000XYZ).');
  });
});

describe('a smaller copy of a picture too large for the window', () => {
  it('keeps the shape, never enlarges, and says it is a copy', async () => {
    const { fitWithin, smallerName } = await import('../../../renderer/src/lib/attachment-view');
    expect(fitWithin(4032, 3024, 2560)).toEqual({ width: 2560, height: 1920 });
    expect(fitWithin(3024, 4032, 1280)).toEqual({ width: 960, height: 1280 });
    expect(fitWithin(800, 600, 2560)).toEqual({ width: 800, height: 600 });
    expect(smallerName('IMG_2041.HEIC')).toBe('IMG_2041 (smaller).jpg');
    expect(smallerName('.png')).toBe('picture (smaller).jpg');
  });
});
