import { type Community, ORG_NAMES } from '@gongzhi/domain';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accountsTable } from '../../db/schema';
import { createAccount } from './create-account';

export const DEMO_PASSWORD = 'gongzhi2026';
export const DEMO_ADMIN_PHONE = '13900000000';

export interface DemoLogin {
  phone: string;
  name: string;
  what: string;
}

/** Deterministic demo phone for the n-th person of the n-th community: 139 + 8 digits. */
export const demoPhone = (communityIndex: number, personIndex: number) =>
  `139${String(communityIndex * 1000 + personIndex + 1).padStart(8, '0')}`;

/**
 * Demo only (never in production): on an empty database, one account per config person plus an
 * administrator, all with DEMO_PASSWORD. Returns what to print.
 */
export async function seedDemoAccounts(
  db: Db,
  communities: Map<string, Community>,
): Promise<DemoLogin[] | null> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(accountsTable)) as [{ n: number }];
  if (n > 0) return null;
  const logins: DemoLogin[] = [{ phone: DEMO_ADMIN_PHONE, name: '系统管理员', what: 'admin' }];
  await createAccount(db, {
    kind: 'admin',
    phone: DEMO_ADMIN_PHONE,
    password: DEMO_PASSWORD,
    displayName: '系统管理员',
  });
  let ci = 0;
  for (const c of communities.values()) {
    const jobs = c.config.people.map(async (p, pi) => {
      const phone = p.phone ?? demoPhone(ci, pi);
      await createAccount(db, {
        kind: 'staff',
        phone,
        password: DEMO_PASSWORD,
        displayName: p.name,
        person: { community: c.key, key: p.key },
      });
      return { phone, name: p.name, what: describe(c, p.key) };
    });
    logins.push(...(await Promise.all(jobs)));
    ci++;
  }
  return logins;
}

function describe(c: Community, person: string): string {
  const parts: string[] = [];
  for (const z of c.config.zones) {
    if (z.leader.person === person) parts.push(`${z.name}组长`);
    for (const m of z.members) if (m.person === person) parts.push(`${z.name}·${ORG_NAMES[m.org]}`);
  }
  for (const l of c.config.lines) if (l.leader === person) parts.push(`${l.name}条线负责人`);
  if (c.config.secretary === person) parts.push('秘书');
  if (c.config.leadershipGroup.leader === person) parts.push('领导小组组长');
  else if (c.config.leadershipGroup.members.includes(person)) parts.push('领导小组成员');
  return `${c.name}：${parts.join('，')}`;
}
