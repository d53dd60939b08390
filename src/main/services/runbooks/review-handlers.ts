// Handlers of the review workflow and session revisions (runbookReviewChannels): thin calls into
// the review service.
import type { runbookReviewChannels } from '../../../shared/contract/runbooks';
import type { HandlersFor } from '../../handler-types';
import type { ReviewService } from './review-service';

export function runbookReviewHandlers(svc: ReviewService): HandlersFor<keyof typeof runbookReviewChannels> {
  return {
    'runbooks:review-get': ({ id }) => svc.get(id),
    'runbooks:review-move': ({ id, to, by }) => svc.move(id, to, by),
    'runbooks:review-test': ({ id }) => svc.test(id),
    'runbooks:revision-propose': ({ sessionId }) => svc.propose(sessionId),
    'runbooks:revision-save': ({ sessionId, text }) => svc.saveRevision(sessionId, text),
  };
}
