import type { SpaceKind } from '../../contracts/types';
/** A space id as the contracts define one (common.schema.json's SpaceId): its kind, a colon, a slug. */
export const SPACE_ID = /^(personal|selective|shared|extended|interfamily):[a-z0-9][a-z0-9-]{0,62}$/;

/** A space's kind is the first part of its id (spaces.ts createSpace): what a peer says beside the id is not needed. */
export const spaceKindOf = (space: string): SpaceKind => space.slice(0, space.indexOf(':')) as SpaceKind;
