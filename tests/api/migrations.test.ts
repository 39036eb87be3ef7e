import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase } from '../../apps/api/src/db/client';

const serverUrl = process.env.DATABASE_URL;

// Only meaningful on a real server: PGlite is single-process by construction (see startup.test.ts).
(serverUrl ? describe : describe.skip)('migrations on PostgreSQL', () => {
  test('two instances starting together both come up, and each migration ran once', async () => {
    const name = `gongzhi_mig_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    try {
      const [a, b, c] = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: url.toString(), pgliteDir: 'memory' })),
      );
      const check = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const rows = await check`select hash from drizzle.__drizzle_migrations`;
      const journal = require('../../drizzle/meta/_journal.json') as { entries: unknown[] };
      expect(rows.length).toBe(journal.entries.length);
      expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
      await check.end();
      await Promise.all([a!.close(), b!.close(), c!.close()]);
    } finally {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
