import { visibleEvents } from '../../audit/visible-log';
import type { HandlersOf } from '../handler';

export const eventsHandlers: HandlersOf<'events'> = {
  // only what the acting member may see (policy/event-visibility.ts)
  'events.list': ({ ctx, actor }, p) => ({ events: visibleEvents(ctx, actor, { topic: p.topic?.split('@')[0], space_id: p.space_id, after: p.after, limit: p.limit ?? 1000 }) }),
};
