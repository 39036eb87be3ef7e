import type { InspectionInput } from '@gongzhi/domain';
import { callerOf, type ServiceContext } from '../context';
import { photoOwnedBy } from '../issues/persist-issue';
import { type AfterTransition, transitionIssue } from '../issues/transition-issue';
import { attachPhotos } from '../photos/attach-photos';
import { redispatchToResolvers, verifyRequest } from '../tasks/issue-work';

/**
 * 核查: someone the config names (the zone's grid inspector by default), never the person who
 * resolved it, checks the fix on site with photos. Pass: closed (the resolvers and the owner are
 * told). Fail: reopened with the reason — a 返工, counted in `reopenCount` — and dispatched again
 * at once to whoever resolved it. Returns the issue id.
 */
export async function inspectIssue(ctx: ServiceContext, id: string, input: InspectionInput) {
  const principal = callerOf(ctx);
  const photos = async (a: AfterTransition) =>
    attachPhotos(a.tx, {
      issueId: a.issue.id,
      communityId: a.issue.communityId,
      photoIds: input.photoIds,
      owner: photoOwnedBy(principal.accountId, []),
      eventId: a.eventId,
      path: 'photoIds',
    });
  const photoCount = new Set(input.photoIds).size;
  const data = { photoIds: input.photoIds };
  if (input.passed) {
    const base = verifyRequest(ctx, input.note);
    return transitionIssue(ctx, id, {
      ...base,
      action: 'inspect_pass',
      photoCount,
      data,
      after: async (a) => {
        await photos(a);
        await base.after?.(a);
      },
    });
  }
  const reason = input.reason!;
  return transitionIssue(ctx, id, {
    action: 'inspect_fail',
    reason,
    photoCount,
    data,
    after: async (a) => {
      await photos(a);
      await redispatchToResolvers(ctx, a, `现场核查未通过：${reason}`);
    },
  });
}
