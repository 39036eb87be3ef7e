import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IssueDetail, NotificationPage } from '@gongzhi/domain';
import { DEMO_PASSWORD, demoPhone } from '../../apps/api/src/services/accounts/seed-demo-accounts';
import { loadCommunityConfigs } from '../../apps/api/src/services/communities/load-community-configs';
import { CONFIG_DIR } from '../helpers/build-app';
import { serverDatabase } from '../helpers/test-db';

/**
 * The API killed (SIGKILL, no shutdown) after it committed an event and before it delivered the
 * notification: after a restart the notification reaches the inbox exactly once. Real server
 * processes on a real database (PGlite on disk, or a fresh PostgreSQL database in CI's second pass).
 */
const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let dataDir: string;
let databaseUrl = '';
let dropDatabase = async () => {};
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gz-restart-'));
  const scratch = await serverDatabase('restart');
  if (scratch) {
    databaseUrl = scratch.url;
    dropDatabase = scratch.drop;
  }
});
afterAll(async () => {
  await dropDatabase();
  rmSync(dataDir, { recursive: true, force: true });
});

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  // Its own process group: tsx runs the server in a child process, and the kill must reach it too.
  const child = spawn(TSX, ['apps/api/src/server.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      FOLLOW_UP_INTERVAL_MS: '0',
      DEMO: '1',
      ...env,
    },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/已启动：(http:\/\/localhost:\d+)/);
      if (m) resolve({ child, base: m[1]!.replace('localhost', '127.0.0.1') });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

/** SIGKILL the whole process group, and wait until none of it is left. */
async function killHard(child: ChildProcess) {
  child.removeAllListeners('exit');
  process.kill(-child.pid!, 'SIGKILL');
  for (;;) {
    try {
      process.kill(-child.pid!, 0);
    } catch {
      return; // ESRCH: the group is gone
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function login(base: string, phone: string) {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: DEMO_PASSWORD }),
  });
  expect(r.status).toBe(200);
  return { authorization: `Bearer ${((await r.json()) as { accessToken: string }).accessToken}` };
}

test('a notification committed before a crash is delivered once after the restart', async () => {
  const people = [...loadCommunityConfigs(CONFIG_DIR).get('xiaduoyuan')!.people.keys()];
  const specialistPhone = demoPhone(0, people.indexOf('zhang-lifen'));

  // First life: no outbox worker, so the notification stays committed but undelivered.
  const first = await startServer({ OUTBOX_INTERVAL_MS: '0' });
  const admin = await login(first.base, '13900000000');
  const filed = await fetch(`${first.base}/api/issues`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      community: 'xiaduoyuan',
      building: 12,
      category: 'sanitation',
      description: '断电前提交的问题',
    }),
  });
  expect(filed.status).toBe(201);
  const issue = (await filed.json()) as IssueDetail;
  expect(issue.tasks.map((t) => t.assignee.key)).toEqual(['zhang-lifen']);
  const before = await fetch(`${first.base}/api/me/notifications`, {
    headers: await login(first.base, specialistPhone),
  });
  expect(((await before.json()) as NotificationPage).items.filter((n) => n.issueId === issue.id)).toEqual([]);
  await killHard(first.child);

  // Second life: the worker finds the committed outbox row and delivers it.
  const second = await startServer({ OUTBOX_INTERVAL_MS: '50' });
  try {
    const specialist = await login(second.base, specialistPhone);
    const mine = async () => {
      const r = await fetch(`${second.base}/api/me/notifications`, { headers: specialist });
      return ((await r.json()) as NotificationPage).items.filter((n) => n.issueId === issue.id);
    };
    let got = await mine();
    for (let i = 0; i < 200 && got.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = await mine();
    }
    // Give the worker many more passes: still exactly one.
    await new Promise((r) => setTimeout(r, 500));
    got = await mine();
    expect(got.map((n) => n.kind)).toEqual(['task_assigned']);
    expect(got[0]!.title).toContain(issue.code);
  } finally {
    await killHard(second.child);
  }
}, 300_000);
