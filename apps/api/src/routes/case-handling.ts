import {
  DisputeDecisionInput,
  DisputeInput,
  ExtensionDecisionInput,
  ExtensionInput,
  InspectionInput,
  ParkInput,
  ParkingDecisionInput,
  ParkingRequestInput,
  ParkReviewInput,
  UrgeInput,
} from '@gongzhi/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decideDispute } from '../services/case-handling/decide-dispute';
import { decideExtension } from '../services/case-handling/decide-extension';
import { decideParking } from '../services/case-handling/decide-parking';
import { disputeReturn } from '../services/case-handling/dispute-return';
import { inspectIssue } from '../services/case-handling/inspect-issue';
import { parkIssue } from '../services/case-handling/park-issue';
import { requestExtension } from '../services/case-handling/request-extension';
import { requestParking } from '../services/case-handling/request-parking';
import { reviewParking } from '../services/case-handling/review-parking';
import { urgeIssue } from '../services/case-handling/urge-issue';
import { issueStepRoute } from './issue-step-route';

/**
 * Case handling to the national standard (issue 17; docs/domain.md §6): on-site verification,
 * parking, extensions, disputed returns, urging. Each answers with the issue as the caller now
 * sees it (its capabilities say what comes next).
 */
export const caseHandlingRoutes: FastifyPluginAsyncZod = async (app) => {
  issueStepRoute(
    app,
    'inspection',
    'inspectIssue',
    '核查: a configured verifier (never the resolver) checks the fix on site with photos; pass closes it, fail reopens it as rework',
    InspectionInput,
    inspectIssue,
  );
  issueStepRoute(
    app,
    'park',
    'parkIssue',
    '挂账: the configured party parks an issue that cannot be solved now, with a reason and a review date',
    ParkInput,
    parkIssue,
  );
  issueStepRoute(
    app,
    'park-request',
    'requestParking',
    '挂账申请: where the config asks for approval, the configured party asks to park with a reason and a review date',
    ParkingRequestInput,
    requestParking,
  );
  issueStepRoute(
    app,
    'park-request/decision',
    'decideParking',
    'The configured approver (zone leader or joint meeting) approves (the issue is parked) or refuses the pending parking request',
    ParkingDecisionInput,
    decideParking,
  );
  issueStepRoute(
    app,
    'park-review',
    'reviewParking',
    'The review of a parked issue: back to work with a person (unpark) or parked again until a new date (repark)',
    ParkReviewInput,
    reviewParking,
  );
  issueStepRoute(
    app,
    'extension',
    'requestExtension',
    '延期: the assignee asks, before the deadline, for a later resolve date with a reason',
    ExtensionInput,
    requestExtension,
  );
  issueStepRoute(
    app,
    'extension/decision',
    'decideExtension',
    'The owner approves (the deadline moves, counted) or refuses the pending extension',
    ExtensionDecisionInput,
    decideExtension,
  );
  issueStepRoute(
    app,
    'return-dispute',
    'disputeReturn',
    '退单争议: the owner sends a return they disagree with to the arbiter (zone leader, or the secretary)',
    DisputeInput,
    disputeReturn,
  );
  issueStepRoute(
    app,
    'return-dispute/decision',
    'decideDispute',
    'The arbiter decides: the return stands (the owner re-dispatches) or the assignee takes it back',
    DisputeDecisionInput,
    decideDispute,
  );
  issueStepRoute(
    app,
    'urge',
    'urgeIssue',
    '督办: the leadership or the secretary urges an open issue; its owner and handlers are told',
    UrgeInput,
    urgeIssue,
  );
};
