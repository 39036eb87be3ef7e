/**
 * `pnpm gongzhi open311-key create|list|revoke` as a child process on the database the server
 * would use (DATABASE_URL: a fresh PostgreSQL database; else a fresh DATA_DIR for PGlite): the key
 * is printed once and only its hash is stored; list never shows it; revoke marks it.
 */
import { open311KeysTable } from '../../apps/api/src/db/schema';
import { hashSecret } from '../../apps/api/src/lib/secrets';
import { cliDatabase, runGongzhi } from '../helpers/cli';

jest.setTimeout(600_000);

let scratch: Awaited<ReturnType<typeof cliDatabase>>;
beforeAll(async () => {
  scratch = await cliDatabase('o311cli');
});
afterAll(() => scratch.drop());
const gongzhi = (args: string[]) => runGongzhi(scratch.env, args);
const openSame = () => scratch.open();

test('create shows the key once, list shows its prefix only, revoke marks it; wrong usage exits 2', async () => {
  const created = await gongzhi(['open311-key', 'create', '--name', '区城运中心平台']);
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const key = /密钥：(o311_\S+)/.exec(created.stdout)![1]!;
  const id = /编号 (\S+)/.exec(created.stdout)![1]!;

  const database = await openSame();
  try {
    const rows = await database.db.select().from(open311KeysTable);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id,
      name: '区城运中心平台',
      communityId: null,
      keyHash: hashSecret(key),
    });
    expect(JSON.stringify(rows)).not.toContain(key);
  } finally {
    await database.close();
  }

  const listed = await gongzhi(['open311-key', 'list']);
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(id);
  expect(listed.stdout).toContain(`${key.slice(0, 9)}…`);
  expect(listed.stdout).not.toContain(key);
  expect(listed.stdout).toContain('有效');

  const revoked = await gongzhi(['open311-key', 'revoke', id]);
  expect(revoked.code).toBe(0);
  expect(revoked.stdout).toContain('已吊销');

  const unknownCommunity = await gongzhi([
    'open311-key',
    'create',
    '--name',
    '某平台',
    '--community',
    'atlantis',
  ]);
  expect(unknownCommunity.code).toBe(1);
  expect(unknownCommunity.stderr).toContain('atlantis');

  const noName = await gongzhi(['open311-key', 'create']);
  expect(noName.code).toBe(2);
  expect(noName.stderr).toContain('--name');
});
