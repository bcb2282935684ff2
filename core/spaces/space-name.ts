import { asLabel } from '../shared/label';

/**
 * A space's name as every view can show it: what another device's roster or space document says
 * (it may say anything: an empty name broke space.list on every device of the space), else the
 * slug of its id.
 */
export const spaceName = (space: string, name: unknown): string => asLabel(name, space.slice(space.indexOf(':') + 1) || space);
