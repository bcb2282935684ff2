/** A space id as the contracts define one (common.schema.json's SpaceId): its kind, a colon, a slug. */
export const SPACE_ID = /^(personal|selective|shared|extended|interfamily):[a-z0-9][a-z0-9-]{0,62}$/;
