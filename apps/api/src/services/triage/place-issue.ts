import {
  checkPlace,
  decideRoute,
  keepsTriageDesk,
  type PlaceIssueInput,
  relationsTo,
  requireCategory,
  resolveZone,
  zoneNameOf,
} from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issuesTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { actorKeyOf, type ServiceContext } from '../context';
import { loadReadableIssue } from '../issues/load-readable-issue';
import { tellOfNewIssue } from '../issues/persist-issue';
import { accessFacts } from '../issues/to-view';
import { writeIssue } from '../issues/write-issue';
import { openReportBacks } from '../tasks/open-tasks';

/**
 * The triage desk places a complaint by hand (兜底分拨): its keeper chooses the building or zone
 * (and, if needed, a better category); from there it routes as any complaint does — the issue's
 * place and route are rewritten, then the issue write path dispatches it (or refers it to the joint
 * meeting) with the routing's tasks, and the zone and line leaders are told as for a new issue.
 * Refusals before anything is written: not waiting on the desk (409), not its keeper (403), a
 * building in no zone or an unknown category (400).
 */
export async function placeIssue(ctx: ServiceContext, id: string, input: PlaceIssueInput) {
  return ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, id, { lock: true });
    const { issue, community, actor, principal } = found;
    await assertQuarterOpen(tx, issue.communityId, issue.createdAt);
    const relations = relationsTo(actor, accessFacts(issue));
    checkPlace(
      issue,
      relations,
      keepsTriageDesk(actor, community) || relations.includes('owner') || relations.includes('admin'),
    );
    const zone = resolveZone(community, { building: input.building, zone: input.zone }, 'body.');
    const category = requireCategory(community, input.category ?? issue.category, 'body.');
    const route = decideRoute(
      {
        zone: zone.key,
        category: category.key,
        urgency: issue.urgency,
        scope: issue.scope,
        usesMaintenanceFund: issue.usesMaintenanceFund,
        touchesSharedParts: issue.touchesSharedParts,
        multiOrg: issue.multiOrg,
      },
      community,
    );
    const now = ctx.now();
    const [placed] = await tx
      .update(issuesTable)
      .set({
        zone: zone.key,
        building: input.building ?? (issue.zone === zone.key ? issue.building : null),
        category: category.key,
        tier: route.tier,
        line: route.line,
        owner: route.owner,
        route,
        updatedAt: now,
      })
      .where(eq(issuesTable.id, issue.id))
      .returning();
    const who = actorKeyOf(principal);
    const note = [
      `兜底分拨：定为${zoneNameOf(community, zone.key)}${input.building ? ` ${input.building}号楼` : ''}，类别“${category.name}”。`,
      ...(input.note ? [input.note] : []),
      ...route.reasons.map((r) => r.text),
    ].join('\n');
    // The keeper's choice is checked above (checkPlace); the step itself is routing's, as at intake.
    const written = await writeIssue(
      ctx,
      tx,
      { issue: placed!, community, relations: ['system'], actorAccountId: principal.accountId, actor: who },
      {
        action: route.tier === 'joint_meeting' ? 'refer' : 'dispatch',
        eventNote: note,
        data: {
          placed: { zone: zone.key, building: input.building ?? null, category: category.key },
          tier: route.tier,
          owner: route.owner,
          tasks: route.tasks,
          procedures: route.procedures,
        },
        dispatch: async () => ({ tasks: route.tasks, note: input.note ?? null }),
      },
    );
    await openReportBacks(tx, issue.id, route.procedures, now);
    await tellOfNewIssue(ctx, tx, {
      community,
      communityId: issue.communityId,
      issue: written.issue,
      reporter: who,
      eventId: written.eventId,
    });
    return issue.id;
  });
}
