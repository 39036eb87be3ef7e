import { type DutyPreferencesInput, Invalid, NotFound } from '@gongzhi/domain';
import { and, eq } from 'drizzle-orm';
import { dutyPreferencesTable, peopleTable } from '../../db/schema';
import { communityId } from '../communities/community-id';
import type { ServiceContext } from '../context';
import { myCommunity, peopleWithChoices, publicContactOf } from './duty-setup';
import { rotaChanged } from './read-duty';

async function myPersonId(ctx: ServiceContext, communityKey: string, person: string) {
  const [row] = await ctx.db
    .select({ id: peopleTable.id })
    .from(peopleTable)
    .where(
      and(eq(peopleTable.communityId, await communityId(ctx.db, communityKey)), eq(peopleTable.key, person)),
    );
  if (!row) throw NotFound('person_not_found', '人员不存在');
  return row.id;
}

async function view(ctx: ServiceContext) {
  const { community, person } = myCommunity(ctx);
  const cid = await communityId(ctx.db, community.key);
  const [own] = await ctx.db
    .select({ phone: dutyPreferencesTable.phone })
    .from(dutyPreferencesTable)
    .innerJoin(peopleTable, eq(peopleTable.id, dutyPreferencesTable.personId))
    .where(and(eq(peopleTable.communityId, cid), eq(peopleTable.key, person)));
  const me = (await peopleWithChoices(ctx.db, community, cid, [person])).get(person);
  return {
    showContact: me?.showContact ?? false,
    phone: own?.phone ?? me?.phone ?? null,
    publicContact: publicContactOf(me),
  };
}

/** My choice about what residents see of me while I am on duty. */
export const getDutyPreferences = (ctx: ServiceContext) => view(ctx);

/**
 * Choose whether residents see a phone while I am on duty, and which one (the config's is the
 * default). Showing needs a phone to show.
 */
export async function setDutyPreferences(ctx: ServiceContext, input: DutyPreferencesInput) {
  const { community, person } = myCommunity(ctx);
  const configPhone = community.people.get(person)?.phone ?? null;
  const personId = await myPersonId(ctx, community.key, person);
  const [current] = await ctx.db
    .select({ phone: dutyPreferencesTable.phone })
    .from(dutyPreferencesTable)
    .where(eq(dutyPreferencesTable.personId, personId));
  const phone = input.phone === undefined ? (current?.phone ?? null) : input.phone;
  if (input.showContact && !phone && !configPhone) {
    throw Invalid('contact_phone_required', '公开联系电话前，请先填写要公开的手机号码', [
      { path: 'body.phone', message: '请填写 11 位手机号码' },
    ]);
  }
  const now = ctx.now();
  await ctx.db
    .insert(dutyPreferencesTable)
    .values({ personId, showContact: input.showContact, phone, updatedAt: now })
    .onConflictDoUpdate({
      target: dutyPreferencesTable.personId,
      set: { showContact: input.showContact, phone, updatedAt: now },
    });
  rotaChanged(ctx.db, community.key);
  return view(ctx);
}
