import { authoredBy, eraseMemories } from '../../privacy/erase';
import { startExport } from '../../privacy/export';
import { startVerifyExport } from '../../privacy/verify-export';
import { authorizeForSubject } from '../../privacy/subject';
import { invalid } from '../../shared/errors';
import type { HandlersOf } from '../handler';

export const privacyHandlers: HandlersOf<'privacy'> = {
  'privacy.export': ({ ctx, actor }, p) => ({ job: startExport(ctx, actor, p) }),
  'privacy.verifyExport': ({ ctx, actor }, p) => ({ job: startVerifyExport(ctx, actor, p) }),
  'privacy.erase': ({ ctx, actor }, p) => {
    if (!p.subject === !p.memory_ids) throw invalid('name either memory_ids or a subject', { fields: ['memory_ids', 'subject'] });
    if (p.subject) {
      authorizeForSubject(ctx, actor, p.subject, 'privacy.erase');
      // each memory is decided as its author's: the subject's own
      return eraseMemories(ctx, actor, authoredBy(ctx, p.subject), p.reauth, p.subject);
    }
    return eraseMemories(ctx, actor, p.memory_ids ?? [], p.reauth);
  },
};
