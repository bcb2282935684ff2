import type { Envelope } from '../../../contracts/types';
import { eventsTable } from '../../store/tables/events';
import type { HandlersOf } from '../handler';

export const eventsHandlers: HandlersOf<'events'> = {
  'events.list': ({ ctx }, p) => ({
    events: eventsTable.list(ctx.db, { topic: p.topic?.split('@')[0], space_id: p.space_id, after: p.after, limit: p.limit ?? 1000 })
      .map((json) => JSON.parse(json) as Envelope),
  }),
};
