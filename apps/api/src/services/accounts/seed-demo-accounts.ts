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
 * The demo's logins, computed from the community configs (no database needed, so the CLI can list
 * them while the server holds the data directory): an administrator, then one account per config
 * person. `key` marks the few shown at start.
 */
export function demoLogins(communities: Map<string, Community>): (DemoLogin & { key: boolean })[] {
  const logins: (DemoLogin & { key: boolean })[] = [
    { phone: DEMO_ADMIN_PHONE, name: '系统管理员', what: '管理员（工作台全部功能）', key: true },
  ];
  let ci = 0;
  for (const c of communities.values()) {
    const cfg = c.config;
    const firstZone = cfg.zones[0];
    const shown = new Set(
      [
        cfg.leadershipGroup.leader,
        cfg.secretary,
        firstZone?.leader.person,
        firstZone?.members.at(-1)?.person,
        cfg.lines[0]?.leader,
      ].filter(Boolean),
    );
    cfg.people.forEach((p, pi) => {
      logins.push({
        phone: p.phone ?? demoPhone(ci, pi),
        name: p.name,
        what: describe(c, p.key),
        key: ci === 0 && shown.has(p.key),
      });
    });
    ci++;
  }
  return logins;
}

/** One short table: phone, name, role; the password once, above it. */
export function demoLoginTable(logins: DemoLogin[], note = ''): string {
  const rows = logins.map((l) => `  ${l.phone}  ${l.name.padEnd(5, '　')}  ${l.what}`);
  return [`  密码均为 ${DEMO_PASSWORD}（仅供本机演示）`, '  手机号       姓名        身份', ...rows, note]
    .filter(Boolean)
    .join('\n');
}

/**
 * Demo only (DEMO=1, loopback, never production): on an empty database, one account per config
 * person plus an administrator, all with DEMO_PASSWORD. Returns them all (null: not empty).
 */
export async function seedDemoAccounts(
  db: Db,
  communities: Map<string, Community>,
): Promise<ReturnType<typeof demoLogins> | null> {
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(accountsTable)) as [{ n: number }];
  if (n > 0) return null;
  const all = demoLogins(communities);
  await createAccount(db, {
    kind: 'admin',
    phone: DEMO_ADMIN_PHONE,
    password: DEMO_PASSWORD,
    displayName: '系统管理员',
  });
  let ci = 0;
  for (const c of communities.values()) {
    await Promise.all(
      c.config.people.map((p, pi) =>
        createAccount(db, {
          kind: 'staff',
          phone: p.phone ?? demoPhone(ci, pi),
          password: DEMO_PASSWORD,
          displayName: p.name,
          person: { community: c.key, key: p.key },
        }),
      ),
    );
    ci++;
  }
  return all;
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
