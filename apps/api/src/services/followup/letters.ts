import {
  acknowledgesLetter,
  type Community,
  Conflict,
  Forbidden,
  LETTER_KIND_NAMES,
  type LetterKind,
  type ListLettersQuery,
  letterActions,
  letterListActions,
  letterNumber,
  letterText,
  localDateOf,
  NotFound,
  ORG_NAMES,
  type Org,
  orgMembersOf,
  readableLetterOrgs,
  readsLetters,
} from '@gongzhi/domain';
import { and, eq, inArray, isNull, max, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client';
import { communitiesTable, issuesTable, lettersTable } from '../../db/schema';
import { keyset } from '../../lib/keyset';
import { assertQuarterOpen } from '../archive/quarter-lock';
import { communityId } from '../communities/community-id';
import { actorIn, actorKeyOf, callerOf, getCommunity, type ServiceContext } from '../context';
import { notify } from '../notifications/notify';

type LetterRow = typeof lettersTable.$inferSelect;
const pages = keyset(lettersTable.createdAt, lettersTable.id);

/**
 * Issue a 提示函 or 警示函: numbered per community, kind and year (the number is taken under a
 * transaction-scoped advisory lock, and a unique index backs it), text from the template, the issues
 * it cites; every person who speaks for the organisation is told.
 */
export async function issueLetter(
  tx: Tx,
  a: {
    community: Community;
    communityId: string;
    kind: LetterKind;
    org: Org;
    reason: string;
    issueIds: string[];
    now: Date;
    /** The leadership member issuing it by hand; absent when the follow-up clock does. */
    issuedBy?: string;
  },
) {
  const date = localDateOf(a.now, a.community.config.timezone);
  const year = Number(date.slice(0, 4));
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`letters:${a.communityId}:${a.kind}:${year}`}))`,
  );
  const [{ last } = { last: 0 }] = await tx
    .select({ last: max(lettersTable.seq) })
    .from(lettersTable)
    .where(
      and(
        eq(lettersTable.communityId, a.communityId),
        eq(lettersTable.kind, a.kind),
        eq(lettersTable.year, year),
      ),
    );
  const seq = (last ?? 0) + 1;
  const cited = await tx
    .select({ id: issuesTable.id, code: issuesTable.code, description: issuesTable.description })
    .from(issuesTable)
    .where(inArray(issuesTable.id, a.issueIds));
  const facts = {
    kind: a.kind,
    communityName: a.community.config.name,
    org: a.org,
    year,
    seq,
    date,
    reason: a.reason,
    issues: cited.map((i) => ({ code: i.code, summary: i.description.slice(0, 40) })),
  };
  const [row] = await tx
    .insert(lettersTable)
    .values({
      communityId: a.communityId,
      kind: a.kind,
      year,
      seq,
      number: letterNumber(facts),
      org: a.org,
      text: letterText(facts),
      issueIds: cited.map((i) => i.id),
      issuedBy: a.issuedBy ?? null,
      createdAt: a.now,
    })
    .returning();
  await notify(
    tx,
    a.now,
    `letter:${row!.id}`,
    { communityId: a.communityId, persons: orgMembersOf(a.community, a.org) },
    { kind: 'letter_issued', letterKind: a.kind, number: row!.number, orgName: ORG_NAMES[a.org] },
    { letterId: row!.id },
  );
  return row!;
}

/** The tracking codes of the issues letters and proposals cite, in one query. */
export async function issueCodesOf(db: ServiceContext['db'], issueIds: string[]) {
  const ids = [...new Set(issueIds)];
  if (ids.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ id: issuesTable.id, code: issuesTable.code })
    .from(issuesTable)
    .where(inArray(issuesTable.id, ids));
  return new Map(rows.map((i) => [i.id, i.code]));
}

export async function toLetterViews(ctx: ServiceContext, community: Community, rows: LetterRow[]) {
  const actor = actorIn(callerOf(ctx), community);
  const codes = await issueCodesOf(
    ctx.db,
    rows.flatMap((r) => r.issueIds),
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    kind: r.kind,
    kindName: LETTER_KIND_NAMES[r.kind],
    org: r.org,
    orgName: ORG_NAMES[r.org],
    text: r.text,
    issues: r.issueIds.map((id) => ({ id, code: codes.get(id) ?? '' })),
    createdAt: r.createdAt.toISOString(),
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgeNote: r.acknowledgeNote,
    allowedActions: letterActions(actor, community, { org: r.org, acknowledged: r.acknowledgedAt !== null }),
  }));
}

/** Organisations whose letters the caller may read (the domain's `readableLetterOrgs`). */
export function readableOrgs(ctx: ServiceContext, community: Community): Org[] | 'all' {
  return readableLetterOrgs(actorIn(callerOf(ctx), community), community);
}

export async function listLetters(ctx: ServiceContext, q: ListLettersQuery) {
  const community = getCommunity(ctx, q.community);
  const orgs = readableOrgs(ctx, community);
  if (!readsLetters(orgs)) throw Forbidden('letters_not_permitted', '您不代表任何组织，不能查看函件');
  const rows = await ctx.db
    .select()
    .from(lettersTable)
    .where(
      and(
        eq(lettersTable.communityId, await communityId(ctx.db, community.key)),
        orgs === 'all' ? undefined : inArray(lettersTable.org, orgs),
        q.org ? eq(lettersTable.org, q.org) : undefined,
        q.unacknowledged ? isNull(lettersTable.acknowledgedAt) : undefined,
        pages.after(q.cursor),
      ),
    )
    .orderBy(...pages.orderBy)
    .limit(q.limit + 1);
  const page = pages.page(rows, q.limit);
  return {
    items: await toLetterViews(ctx, community, page.items),
    nextCursor: page.nextCursor,
    allowedActions: letterListActions(actorIn(callerOf(ctx), community)),
  };
}

/** The organisation acknowledges (签收) its letter, once, with an optional reply. */
export async function acknowledgeLetter(
  ctx: ServiceContext,
  id: string,
  input: { note?: string | undefined },
) {
  const principal = callerOf(ctx);
  const notFound = () => NotFound('letter_not_found', '函件不存在或您无权查看');
  const row = await ctx.db.transaction(async (tx) => {
    const [found] = await tx
      .select({ letter: lettersTable, communityKey: communitiesTable.key })
      .from(lettersTable)
      .innerJoin(communitiesTable, eq(communitiesTable.id, lettersTable.communityId))
      .where(eq(lettersTable.id, id))
      .for('update', { of: lettersTable });
    if (!found) throw notFound();
    const { letter } = found;
    const community = getCommunity(ctx, found.communityKey);
    const orgs = readableOrgs(ctx, community);
    if (orgs !== 'all' && !orgs.includes(letter.org)) throw notFound();
    const actor = actorIn(principal, community);
    const person = actor.roles?.person;
    if (!person || !acknowledgesLetter(actor, community, letter.org)) {
      throw Forbidden('not_org_member', `只有${ORG_NAMES[letter.org]}的人员可以签收此函`);
    }
    if (letter.acknowledgedAt) throw Conflict('letter_already_acknowledged', '此函已签收');
    // A letter belongs to the quarter it was issued in; archived, it is read-only.
    await assertQuarterOpen(tx, letter.communityId, letter.createdAt);
    const [updated] = await tx
      .update(lettersTable)
      .set({
        acknowledgedAt: ctx.now(),
        acknowledgedByAccountId: principal.accountId,
        acknowledgedBy: community.people.get(person)?.name ?? actorKeyOf(principal),
        acknowledgeNote: input.note ?? null,
      })
      .where(eq(lettersTable.id, id))
      .returning();
    return { updated: updated!, community };
  });
  return (await toLetterViews(ctx, row.community, [row.updated]))[0]!;
}
