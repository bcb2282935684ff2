import { encodeFrame, type Frame } from '../../core/sync/frames';
import type { FrameLink, LinkWrapper } from '../../core/sync/link';
import { seededRandom } from '../../core/shared/prng';

/** Faults a test injects on a device's outgoing frames: drops, duplicates, reordering. */
export interface FaultPlan { drop: number; duplicate: number; reorder: number; seed: number }

/**
 * A test's hold on every session link of one device: faults, a rewriting hostile peer, a tap
 * that records every frame. Set its fields at any time; they apply to the next frame.
 */
export class LinkControl {
  faults: FaultPlan | undefined;
  tamper: ((f: Frame) => Frame) | undefined;
  tap: ((dir: 'in' | 'out', frame: Buffer) => void) | undefined;
  readonly injected = { drop: 0, duplicate: 0, reorder: 0 };

  constructor(init: { faults?: FaultPlan; tamper?: (f: Frame) => Frame; tap?: (dir: 'in' | 'out', frame: Buffer) => void } = {}) {
    this.faults = init.faults;
    this.tamper = init.tamper;
    this.tap = init.tap;
  }

  /** The wrapper the device's sync options carry. */
  readonly wrap: LinkWrapper = (inner) => this.link(inner);

  private link(inner: FrameLink): FrameLink {
    let rand: (() => number) | null = null;
    let held: Frame | null = null;
    let heldTimer: NodeJS.Timeout | null = null;
    const out = (f: Frame): boolean => { this.tap?.('out', encodeFrame(f)); return inner.send(f); };
    const release = (): void => {
      if (heldTimer) { clearTimeout(heldTimer); heldTimer = null; }
      const h = held;
      held = null;
      if (h) out(h);
    };
    return {
      send: (f0) => {
        const f = this.tamper ? this.tamper(f0) : f0;
        const fp = this.faults;
        if (!fp) return out(f);
        rand ??= seededRandom(fp.seed);
        if (rand() < fp.drop) { this.injected.drop++; return true; }
        const copies = rand() < fp.duplicate ? 2 : 1;
        if (copies === 2) this.injected.duplicate++;
        if (!held && rand() < fp.reorder) {
          this.injected.reorder++;
          held = f;
          heldTimer = setTimeout(release, 30);
          return true;
        }
        let ok = true;
        for (let i = 0; i < copies; i++) ok = out(f) && ok;
        release();
        return ok;
      },
      received: (buf) => { this.tap?.('in', buf); return inner.received(buf); },
      close: () => { if (heldTimer) clearTimeout(heldTimer); held = null; inner.close(); },
    };
  }
}
