import type { Band } from '../../../contracts/types';
import { formatDuration } from './format';

export const BANDS: Band[] = ['GREEN', 'AMBER', 'RED', 'BLACK'];

export interface BandInfo {
  band: Band;
  name: string;
  /** one line for the selector */
  short: string;
  /** what choosing it means, for the explanation shown before picking */
  details: string[];
}

/** What each band means to a person, in the words of SPEC §4 (the policy is the authority). */
export function bandInfo(band: Band, undoWindowSeconds = 900): BandInfo {
  const win = formatDuration(undoWindowSeconds);
  switch (band) {
    case 'GREEN':
      return {
        band, name: 'Green · everyday', short: 'Everyone in the space can read it.',
        details: ['Readable by every member of the space.', 'Syncs to every member’s devices.', 'Shares into another space right away.', 'Deleting moves it to the trash.'],
      };
    case 'AMBER':
      return {
        band, name: 'Amber · personal', short: 'Members read it; shares wait in the undo window.',
        details: ['Readable by every member of the space; emails and phone numbers are hidden in others’ previews.', `Sharing or deleting waits ${win} in the undo window, so you can take it back.`, 'Moving it up to a wider space asks for your consent.', 'Opening it is recorded in the audit log.'],
      };
    case 'RED':
      return {
        band, name: 'Red · private', short: 'Only you and the people you name.',
        details: ['Readable only by you and named recipients; others see that it exists, not what it says.', 'Syncs as ciphertext only recipients can open.', 'Cannot be shared into another space (lower the band first).', 'Lowering the band needs your passphrase again.'],
      };
    case 'BLACK':
      return {
        band, name: 'Black · secret', short: 'Only you, only on this device.',
        details: ['Readable only by you on this device; never synced, never shared.', 'A memory can only be made Black when it is written.', 'Deleting destroys it for good (crypto-shred).'],
      };
  }
}
