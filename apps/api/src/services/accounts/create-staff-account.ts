import {
  Conflict,
  type CreateStaffAccountInput,
  Forbidden,
  Invalid,
  type OneTimePasswordView,
  reachCovers,
} from '@gongzhi/domain';
import { and, eq, isNull } from 'drizzle-orm';
import { accountsTable, communitiesTable, peopleTable } from '../../db/schema';
import type { ServiceContext } from '../context';
import { accountView, requireReach, selectAccounts } from './account-access';
import { actorOf, appendAccountEvent } from './account-log';
import { createAccount, phoneTaken } from './create-account';
import { newOneTimePassword } from './one-time-password';

/**
 * A staff account for a person of a community's config, with a one-time password shown once to the
 * administrator, who hands it over; the person must replace it at the first login.
 */
export async function createStaffAccount(
  ctx: ServiceContext,
  input: CreateStaffAccountInput,
): Promise<OneTimePasswordView> {
  const reach = requireReach(ctx);
  const community = ctx.communities.get(input.community);
  if (!community)
    throw Invalid('unknown_community', `小区 "${input.community}" 不存在`, [
      { path: 'body.community', message: '没有这个小区', valid: [...ctx.communities.keys()] },
    ]);
  const person = community.people.get(input.person);
  if (!person)
    throw Invalid('person_not_in_config', `人员 "${input.person}" 不在${community.name}的配置中`, [
      { path: 'body.person', message: '配置中没有这个人员' },
    ]);
  if (!reachCovers(reach, { kind: 'staff', community: community.key }))
    throw Forbidden('account_out_of_reach', '您只能管理本小区工作人员的账号');

  const oneTimePassword = newOneTimePassword();
  const id = await ctx.db.transaction(async (tx) => {
    const [phoneUsed] = await tx
      .select({ id: accountsTable.id })
      .from(accountsTable)
      .where(eq(accountsTable.phone, input.phone));
    if (phoneUsed) throw phoneTaken(input.phone);
    // One working account per person: a second would split their tasks and history in two.
    const [existing] = await tx
      .select({ phone: accountsTable.phone })
      .from(accountsTable)
      .innerJoin(peopleTable, eq(peopleTable.id, accountsTable.personId))
      .innerJoin(communitiesTable, eq(communitiesTable.id, peopleTable.communityId))
      .where(
        and(
          eq(communitiesTable.key, community.key),
          eq(peopleTable.key, person.key),
          isNull(accountsTable.disabledAt),
        ),
      );
    if (existing)
      throw Conflict(
        'person_has_account',
        `${person.name}已有账号（${existing.phone ?? '无手机号'}），请先停用它`,
        [{ path: 'body.person', message: '该人员已有启用中的账号' }],
      );
    const accountId = await createAccount(tx, {
      kind: 'staff',
      phone: input.phone,
      password: oneTimePassword,
      displayName: input.displayName ?? person.name,
      person: { community: community.key, key: person.key },
      mustChangePassword: true,
    });
    await appendAccountEvent(tx, actorOf(ctx), ctx.now(), {
      accountId,
      action: 'created',
      detail: { kind: 'staff', phone: input.phone, community: community.key, person: person.key },
    });
    return accountId;
  });
  const [row] = await selectAccounts(ctx.db).where(eq(accountsTable.id, id));
  return { account: accountView(row!), oneTimePassword };
}
