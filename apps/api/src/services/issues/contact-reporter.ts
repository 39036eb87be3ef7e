import { CONTACT_MEANS_NAMES, type ContactInput, checkContact } from '@gongzhi/domain';
import { eq } from 'drizzle-orm';
import { issueRatingsTable } from '../../db/schema';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { actorKeyOf, type ServiceContext } from '../context';
import { getIssue } from './get-issue';
import { loadReadableIssue } from './load-readable-issue';
import { accessFacts } from './to-view';
import { writeIssue } from './write-issue';

/**
 * Staff record 已联系 (issue 17 item 6): the reporter was called, messaged, visited or answered in the
 * app. An event on the issue through the write path, which keeps the first contact's time for the
 * 响应率; later contacts are recorded too and count no more. Refused, with nothing written: a
 * person not handling the issue (403), a merged or rejected issue (409).
 */
export async function contactReporter(ctx: ServiceContext, id: string, input: ContactInput) {
  await ctx.db.transaction(async (tx) => {
    const found = await loadReadableIssue(ctx, tx, id, { lock: true });
    await assertQuarterOpen(tx, found.issue.communityId, found.issue.createdAt);
    const [rating] = await tx
      .select({ id: issueRatingsTable.id })
      .from(issueRatingsTable)
      .where(eq(issueRatingsTable.issueId, id));
    checkContact(found.actor, { ...accessFacts(found.issue), status: found.issue.status }, !!rating);
    const note = input.note || undefined;
    await writeIssue(
      ctx,
      tx,
      {
        issue: found.issue,
        community: found.community,
        relations: [],
        actorAccountId: found.principal.accountId,
        actor: actorKeyOf(found.principal),
      },
      {
        action: 'contact_reporter',
        stays: true,
        eventNote: `${CONTACT_MEANS_NAMES[input.means]}${note ? `：${note}` : ''}`,
        data: { means: input.means },
      },
    );
  });
  return getIssue(ctx, id);
}
