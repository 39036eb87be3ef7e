import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildTestApp, type TestApp } from '../helpers/build-app';

/**
 * Migration 0011 re-canonicalises the household keys stored before rooms lost their leading zeros
 * ("0302" → "302"), without turning a household's two old spellings into a conflict. Run here
 * again on rows written the old way (the migration is idempotent), on PGlite and PostgreSQL.
 */
const MIGRATION = readFileSync(path.resolve(__dirname, '../../drizzle/0014_household_rooms.sql'), 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const rows = async (table: 'evaluation_codes' | 'evaluation_responses' | 'resident_homes') =>
  (await t.db.execute(
    sql.raw(`select building, room, zone from ${table} order by building, room`),
  )) as unknown as {
    rows?: unknown[];
  } & unknown[];
const list = (r: unknown) =>
  ((r as { rows?: unknown[] }).rows ?? (r as unknown[])) as { building: number; room: string }[];

test('rooms with leading zeros take the canonical room; a second spelling of a household keeps its own', async () => {
  const admin = await t.loginAs('admin');
  const q = (text: string) => t.db.execute(sql.raw(text));
  const community = list(await q(`select id from communities limit 1`))[0] as unknown as { id: string };
  const at = `'2026-11-01T00:00:00Z'`;
  const [campaign] = list(
    await q(`insert into evaluation_campaigns (community_id, quarter, title, status, questionnaire, created_by_account_id, created_at)
      values ('${community.id}', '2026Q4', '测试', 'open', '{}'::jsonb, '${admin.accountId}', ${at}) returning id`),
  ) as unknown as { id: string }[];
  const code = async (building: number, room: string, minute: number) =>
    (
      list(
        await q(`insert into evaluation_codes (campaign_id, code_hash, building, room, zone, batch, created_at)
          values ('${campaign!.id}', md5(random()::text), ${building}, '${room}', 'zone-1', 1, '2026-11-01T00:${String(minute).padStart(2, '0')}:00Z') returning id`),
      )[0] as unknown as { id: string }
    ).id;
  // Two old spellings of 12/302 (the earlier one takes the canonical room), and others alone.
  const c0302 = await code(12, '0302', 1);
  await code(12, '00302', 2);
  await code(12, '03-0101', 3);
  await code(12, 'B02', 4);
  const c5 = await code(13, '05', 5);
  const c302 = await code(14, '302', 6);
  const c0302b = await code(14, '0302', 7);
  const respond = (building: number, room: string, codeId: string) =>
    q(`insert into evaluation_responses (campaign_id, building, room, zone, channel, code_id, answers, receipt, created_at)
      values ('${campaign!.id}', ${building}, '${room}', 'zone-1', 'code', '${codeId}', '{}'::jsonb, md5(random()::text), ${at})`);
  await respond(12, '0302', c0302);
  await respond(13, '05', c5);
  // Building 14 answered twice under the old rule: 302 and 0302. Both records stay.
  await respond(14, '302', c302);
  await respond(14, '0302', c0302b);
  await q(`insert into resident_homes (community_id, account_id, building, room, zone, status, name, requested_at)
    values ('${community.id}', '${admin.accountId}', 12, '3-0302', 'zone-1', 'verified', '王', ${at})`);

  for (const statement of MIGRATION.split('--> statement-breakpoint')) await q(statement);

  const rooms = async (table: Parameters<typeof rows>[0]) =>
    list(await rows(table)).map((r) => `${r.building}/${r.room}`);
  expect(await rooms('evaluation_codes')).toEqual([
    '12/00302',
    '12/3-101',
    '12/302',
    '12/B02',
    '13/5',
    '14/0302',
    '14/302',
  ]);
  expect(await rooms('evaluation_responses')).toEqual(['12/302', '13/5', '14/0302', '14/302']);
  expect(await rooms('resident_homes')).toEqual(['12/3-302']);

  // The responses are append-only again afterwards.
  await expect(q(`update evaluation_responses set room = 'X' where building = 13`)).rejects.toThrow();
});
