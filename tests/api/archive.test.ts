import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type ArchiveList,
  ArchiveManifest,
  type ArchiveView,
  type IssueDetail,
  localDateTimeOf,
  type ZoneMeetingView,
} from '@gongzhi/domain';
import { count, eq, sql } from 'drizzle-orm';
import { unzipSync, zipSync } from 'fflate';
import {
  dutyLogEntriesTable,
  issueEventsTable,
  issuesTable,
  quarterArchivesTable,
  tasksTable,
  zoneMeetingsTable,
} from '../../apps/api/src/db/schema';
import { archiveSigningKey, signManifest } from '../../apps/api/src/services/archive/signing';
import { verifyPackage } from '../../apps/api/src/services/archive/verify-package';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import { seedDemoQuarter } from '../helpers/demo-quarter';

type Session = Awaited<ReturnType<TestApp['loginAs']>>;

const ROOT = path.resolve(__dirname, '../..');
const HOUR = 3_600_000;
// 2026Q3 in Shanghai: 1 July 00:00 +08:00 up to 1 October 00:00 +08:00.
const Q3_START = new Date('2026-06-30T16:00:00Z');
const Q3_END = new Date('2026-09-30T16:00:00Z');

let t: TestApp;
const clock = testClock(new Date('2026-06-20T02:00:00Z'));
let secretary: Session;
let filedOpen: IssueDetail; // a 2026Q3 issue still being worked on when the quarter is archived
let dutyEntryId: string;
let archive: ArchiveView;
let zip: Buffer;
let work: string;

const call = (s: Session | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: s?.auth ?? {}, ...(payload !== undefined ? { payload } : {}) });

/**
 * The real CLI, as a person runs it: `pnpm gongzhi archive verify <file>`, on the server's secret
 * (the test app's JWT_SECRET, from which the archive signing key is derived) unless told otherwise.
 */
const verifyCli = (file: string, args: string[] = [], env: Record<string, string> = { JWT_SECRET }) =>
  spawnSync('pnpm', ['-s', 'gongzhi', 'archive', 'verify', file, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: ROOT, ...env },
  });
const JWT_SECRET = 'test-secret-that-is-long-enough-000000'; // build-app's

/** Everything an edit of the quarter could change. */
async function snapshot() {
  const rows = async (q: Promise<unknown[]>) => (await q).map((r) => JSON.stringify(r)).sort();
  return {
    issues: await rows(t.db.select().from(issuesTable)),
    tasks: await rows(t.db.select().from(tasksTable)),
    events: (await t.db.select({ n: count() }).from(issueEventsTable))[0]!.n,
    zoneMeetings: await rows(t.db.select().from(zoneMeetingsTable)),
    dutyLog: await rows(t.db.select().from(dutyLogEntriesTable)),
    archives: await rows(t.db.select().from(quarterArchivesTable)),
  };
}

beforeAll(async () => {
  t = await buildTestApp({ now: clock.now });
  work = mkdtempSync(path.join(tmpdir(), 'gz-archive-'));
  await seedDemoQuarter(t, clock, Q3_START, t.runFollowUp);
  // Late in the quarter: one more report, still in hand when the quarter is archived, and a
  // question at the duty desk that nobody has filed yet.
  clock.set(new Date('2026-09-25T02:00:00Z'));
  const inspector = await t.loginAs('yang-chenyi');
  const r = await call(inspector, 'POST', '/api/issues', {
    community: 'xiaduoyuan',
    building: 7,
    category: 'public_facility',
    description: '7号楼路灯不亮',
  });
  expect(r.statusCode).toBe(201);
  filedOpen = r.json();
  const rota = await call(
    await t.loginAs('tu-zhongmei'),
    'GET',
    '/api/communities/xiaduoyuan/duty?from=2026-09-25&to=2026-09-25',
  );
  const shift = (rota.json() as { shifts: { start: string; person: { key: string } }[] }).shifts[0]!;
  clock.set(new Date(new Date(shift.start).getTime() + HOUR));
  const entry = await call(await t.loginAs(shift.person.key), 'POST', '/api/duty/log', {
    askedBy: '7号楼住户',
    topic: '路灯什么时候修',
    answer: '已在处理',
  });
  expect(entry.statusCode).toBe(201);
  dutyEntryId = entry.json().id;
  clock.set(new Date('2026-09-29T02:00:00Z'));
  secretary = await t.loginAs('tu-zhongmei');
}, 240_000);

afterAll(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

describe('archiving 2026Q3 of the 夏朵园 demo quarter', () => {
  test('a quarter not yet over, a caller who is not the secretary or leadership, a malformed quarter: refused, nothing written', async () => {
    const before = await snapshot();
    const early = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', {
      quarter: '2026Q3',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'quarter_not_over',
      message: '2026年第三季度尚未结束，结束后才能归档',
    });

    clock.set(new Date('2026-10-09T02:00:00Z'));
    secretary = await t.loginAs('tu-zhongmei');
    const inspector = await t.loginAs('yang-chenyi');
    const forbidden = await call(inspector, 'POST', '/api/communities/xiaduoyuan/archives', {
      quarter: '2026Q3',
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('archive_manager_only');
    expect((await call(inspector, 'GET', '/api/communities/xiaduoyuan/archives')).statusCode).toBe(403);

    for (const [body, field] of [
      [{ quarter: '2026-Q3' }, 'body.quarter'],
      [{ quarter: '2026Q5' }, 'body.quarter'],
      [{ quarter: '2026Q3', extra: 1 }, 'body.extra'],
    ] as const) {
      const bad = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('validation_failed');
      expect(bad.json().error.details[0].path).toBe(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  test('without a CJK font the server refuses (503) and locks nothing', async () => {
    const before = await snapshot();
    process.env.ARCHIVE_FONT = '/nonexistent/font.ttf';
    try {
      const r = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', { quarter: '2026Q3' });
      expect(r.statusCode).toBe(503);
      expect(r.json().error.code).toBe('archive_font_missing');
      expect(r.json().error.message).toContain('fonts-wqy-zenhei');
    } finally {
      delete process.env.ARCHIVE_FONT;
    }
    expect(await snapshot()).toEqual(before);
  });

  test('open work is named and refused until confirmed; then the package is made, stored, and listed once', async () => {
    const before = await snapshot();
    const open = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', { quarter: '2026Q3' });
    expect(open.statusCode).toBe(409);
    expect(open.json().error.code).toBe('quarter_has_open_issues');
    expect(open.json().error.details).toEqual([
      expect.objectContaining({ path: 'body.allowOpenIssues', code: filedOpen.code, status: 'dispatched' }),
    ]);
    expect(await snapshot()).toEqual(before);

    const made = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', {
      quarter: '2026Q3',
      allowOpenIssues: true,
    });
    expect(made.statusCode).toBe(201);
    archive = made.json();
    // 15 reports, one duty-desk question filed, one late report: 17 issues; the late one still open.
    expect(archive).toMatchObject({
      community: 'xiaduoyuan',
      quarter: '2026Q3',
      label: '2026年第三季度',
      period: { start: Q3_START.toISOString(), end: Q3_END.toISOString() },
      createdBy: { key: 'tu-zhongmei', name: '屠忠梅' },
      fileName: 'xiaduoyuan-2026Q3.zip',
      counts: { issues: 17, openIssues: 1, zoneMeetings: 2, jointMeetings: 1, dutyLogEntries: 4 },
    });
    expect(archive.counts.letters).toBeGreaterThanOrEqual(1);
    // Photos: five reports with one, and an after-photo for each of the 14 issues worked through.
    expect(archive.counts.photos).toBe(5 + 14);

    const twice = await call(secretary, 'POST', '/api/communities/xiaduoyuan/archives', {
      quarter: '2026Q3',
      allowOpenIssues: true,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('quarter_already_archived');

    const list = (
      await call(await t.loginAs('wen-liang'), 'GET', '/api/communities/xiaduoyuan/archives')
    ).json() as ArchiveList;
    expect(list.items.map((a) => a.id)).toEqual([archive.id]);
    expect(list.archivable.map((q) => q.quarter)).toEqual(['2026Q2', '2026Q1', '2025Q4']);
  });

  test('the package: downloaded with the token or a link, hashed as recorded, complete, with a Chinese PDF', async () => {
    const r = await call(secretary, 'GET', `/api/archives/${archive.id}/package`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    expect(r.headers['content-disposition']).toBe('attachment; filename="xiaduoyuan-2026Q3.zip"');
    zip = r.rawPayload;
    const sha = createHash('sha256').update(zip).digest('hex');
    expect(sha).toBe(archive.sha256);
    expect(zip.length).toBe(archive.bytes);
    expect((await call(null, 'GET', `/api/archives/${archive.id}/package`)).statusCode).toBe(401);

    const files = unzipSync(zip);
    expect(Object.keys(files)).toHaveLength(archive.fileCount);
    const manifest = ArchiveManifest.parse(JSON.parse(Buffer.from(files['manifest.json']!).toString()));
    expect(manifest).toMatchObject({
      quarter: '2026Q3',
      community: { key: 'xiaduoyuan', name: '夏朵园居民区' },
      createdBy: '屠忠梅',
    });
    // Every file but the manifest itself and its signature is listed.
    expect(manifest.files.map((f) => f.path).sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'manifest.json' && p !== 'signature.json')
        .sort(),
    );
    expect(JSON.parse(Buffer.from(files['signature.json']!).toString())).toMatchObject({
      algorithm: 'ed25519',
      publicKey: archiveSigningKey(JWT_SECRET).publicKey,
    });
    for (const f of manifest.files) {
      expect(createHash('sha256').update(files[f.path]!).digest('hex')).toBe(f.sha256);
    }
    for (const p of [
      'issues/issues.json',
      'issues/issues.csv',
      'issues/events.csv',
      'meetings/zone-meetings.json',
      'meetings/joint-meetings.json',
      'meetings/joint-votes.csv',
      'duty/shifts.csv',
      'duty/log.csv',
      'letters/letters.json',
      'letters/lapses.csv',
      'notices/notices.json',
      'notices/notices.csv',
      'evaluations/results.json',
      'evaluations/responses-audit.csv',
      'summary.pdf',
    ]) {
      expect(files[p]).toBeDefined();
    }

    const notices = JSON.parse(Buffer.from(files['notices/notices.json']!).toString()) as {
      kind: string;
      status: string;
      number: string;
    }[];
    expect(notices).toEqual([
      expect.objectContaining({
        kind: '区域责任名单',
        status: '已发布',
        number: '夏朵园居民区公告〔2026〕1号',
      }),
    ]);
    expect(JSON.parse(Buffer.from(files['evaluations/results.json']!).toString())).toEqual([]);

    const issues = JSON.parse(Buffer.from(files['issues/issues.json']!).toString()) as {
      code: string;
      status: string;
      timeline: { action: string }[];
      photos: { file: string; sha256: string }[];
    }[];
    expect(issues).toHaveLength(17);
    const escalated = issues.find((i) => i.timeline.some((e) => e.action === 'escalate'))!;
    expect(escalated.status).toBe('closed');
    expect(escalated.timeline.map((e) => e.action)).toEqual(
      expect.arrayContaining(['submit', 'zone_resolution', 'escalate', 'decide_close']),
    );
    const photoFiles = issues.flatMap((i) => i.photos);
    expect(photoFiles).toHaveLength(archive.counts.photos);
    for (const p of photoFiles)
      expect(createHash('sha256').update(files[p.file]!).digest('hex')).toBe(p.sha256);
    // The CSV opens in Excel: a BOM, then the header.
    expect(
      Buffer.from(files['issues/issues.csv']!).toString('utf8').startsWith('\uFEFF编号,提交时间,区域'),
    ).toBe(true);
    // 办结时间 survives to the archive: every closed issue resolved through a task shows when it was
    // last resolved, in Shanghai time (not UTC with a Z), in issues.csv as in issues.json.
    const text = (p: string) => Buffer.from(files[p]!).toString('utf8');
    const records = JSON.parse(text('issues/issues.json')) as {
      code: string;
      status: string;
      resolvedAt: string | null;
      timeline: { action: string; at: string }[];
    }[];
    const resolvedThenClosed = records.filter(
      (i) => i.status === 'closed' && i.timeline.some((e) => e.action === 'resolve'),
    );
    expect(resolvedThenClosed.length).toBeGreaterThanOrEqual(10);
    const issueLines = text('issues/issues.csv').split('\r\n');
    for (const i of resolvedThenClosed) {
      const lastResolve = i.timeline.filter((e) => e.action === 'resolve').at(-1)!;
      expect(i.resolvedAt).toBe(lastResolve.at);
      const local = localDateTimeOf(new Date(lastResolve.at), 'Asia/Shanghai');
      const line = issueLines.find((l) => l.startsWith(`${i.code},`));
      expect(line).toContain(`,${local},`);
    }
    // Every CSV: times in local time, codes by their Chinese names.
    for (const p of Object.keys(files).filter((f) => f.endsWith('.csv'))) {
      expect(text(p)).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
    expect(text('issues/events.csv')).toContain(',系统,');
    expect(text('issues/events.csv')).not.toContain(',system,');
    const shiftRows = text('duty/shifts.csv').trimEnd().split('\r\n').slice(1);
    expect(shiftRows.length).toBeGreaterThan(0);
    for (const row of shiftRows) expect(row.split(',')[1]).toBe('值班');
    const votes = Buffer.from(files['meetings/joint-votes.csv']!).toString('utf8');
    expect(votes).toContain(',13,11,0,2,通过,');

    const pdf = Buffer.from(files['summary.pdf']!);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // The CJK font is embedded (subset), so the Chinese renders anywhere.
    expect(pdf.includes(Buffer.from('WenQuanYiZenHei'))).toBe(true);
    // Kept for a person to look at (screenshots/ is git-ignored).
    mkdirSync(path.join(ROOT, 'screenshots'), { recursive: true });
    writeFileSync(path.join(ROOT, 'screenshots/archive-summary.pdf'), pdf);

    // A link for browsers and WeChat: works without the header for ten minutes, and only unaltered.
    const link = (await call(secretary, 'POST', `/api/archives/${archive.id}/link`)).json() as {
      url: string;
    };
    const url = link.url.replace('http://localhost:3000', '');
    const viaLink = await call(null, 'GET', url);
    expect(viaLink.statusCode).toBe(200);
    expect(viaLink.rawPayload.equals(zip)).toBe(true);
    const tampered = url.replace(
      /token=([0-9a-z]+)\./,
      (_, exp: string) => `token=${(Number.parseInt(exp, 36) + 60_000).toString(36)}.`,
    );
    expect((await call(null, 'GET', tampered)).statusCode).toBe(404);
    clock.set(new Date(clock.now().getTime() + 11 * 60_000));
    expect((await call(null, 'GET', url)).statusCode).toBe(404);
  });

  test('pnpm gongzhi archive verify: 0 when intact; one flipped byte fails naming the file', () => {
    const intact = path.join(work, 'intact.zip');
    writeFileSync(intact, zip);
    const ok = verifyCli(intact);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('归档包完好');
    expect(ok.stdout).toContain('签名有效');
    // Every file but the manifest and its signature is listed and checked.
    expect(ok.stdout).toContain(`${archive.fileCount - 2} 个文件与 manifest.json 一致`);

    // Flip one byte inside a photo's data (photos are stored uncompressed: find its local header).
    const manifest = ArchiveManifest.parse(
      JSON.parse(Buffer.from(unzipSync(zip)['manifest.json']!).toString()),
    );
    const target = manifest.files.find((f) => f.path.startsWith('photos/'))!.path;
    const nameAt = zip.indexOf(Buffer.from(target));
    const header = nameAt - 30;
    expect(zip.readUInt32LE(header)).toBe(0x04034b50);
    const dataAt = nameAt + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
    const flipped = Buffer.from(zip);
    flipped[dataAt + 200] = flipped[dataAt + 200]! ^ 0xff;
    const bad = path.join(work, 'flipped.zip');
    writeFileSync(bad, flipped);
    const res = verifyCli(bad);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`已改动：${target}`);
    expect(res.stderr).toContain('1 处问题');
  });

  test('a file changed, one removed and one added: every one is named', () => {
    const files = unzipSync(zip);
    const csv = Buffer.from(files['issues/issues.csv']!).toString('utf8').replace('已关闭', '已驳回');
    files['issues/issues.csv'] = Buffer.from(csv, 'utf8');
    delete files['duty/log.csv'];
    files['extra/notes.txt'] = Buffer.from('added later');
    const repacked = path.join(work, 'repacked.zip');
    writeFileSync(repacked, zipSync(files));
    const res = verifyCli(repacked);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('已改动：issues/issues.csv');
    expect(res.stderr).toContain('缺失：duty/log.csv');
    expect(res.stderr).toContain('多出（清单中没有）：extra/notes.txt');
    expect(res.stderr).toContain('3 处问题');
    // The same check in-process, for the counts.
    const check = verifyPackage(readFileSync(repacked), {
      publicKey: archiveSigningKey(JWT_SECRET).publicKey,
    });
    expect(check).toMatchObject({
      readable: true,
      ok: false,
      missing: ['duty/log.csv'],
      unexpected: ['extra/notes.txt'],
    });
  });

  test('a consistent forgery — a row added to issues.csv and its hash updated in manifest.json — is refused', async () => {
    const files = unzipSync(zip);
    const csv = `${Buffer.from(files['issues/issues.csv']!).toString('utf8')}X-FORGED,2026-08-01 10:00,…\r\n`;
    files['issues/issues.csv'] = Buffer.from(csv, 'utf8');
    const manifest = JSON.parse(Buffer.from(files['manifest.json']!).toString()) as ArchiveManifest;
    const entry = manifest.files.find((f) => f.path === 'issues/issues.csv')!;
    entry.sha256 = createHash('sha256').update(files['issues/issues.csv']!).digest('hex');
    entry.bytes = files['issues/issues.csv']!.length;
    files['manifest.json'] = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const forged = path.join(work, 'forged.zip');
    writeFileSync(forged, zipSync(files));
    const res = verifyCli(forged);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('签名：manifest.json 与签名不符');

    // Signed again with a key of the forger's own: not the system's key.
    files['signature.json'] = Buffer.from(
      JSON.stringify(signManifest(files['manifest.json']!, 'a-forger-s-own-secret-of-enough-length')),
    );
    writeFileSync(forged, zipSync(files));
    const resigned = verifyCli(forged);
    expect(resigned.status).toBe(1);
    expect(resigned.stderr).toContain('签名：签名所用的密钥不是本系统的归档密钥');

    // Without its signature: refused too.
    delete files['signature.json'];
    writeFileSync(forged, zipSync(files));
    expect(verifyCli(forged).stderr).toContain('签名：包内没有签名');
  });

  test('anyone can check a package with the published key, and against the hash recorded at archiving', async () => {
    const key = await call(null, 'GET', '/api/archives/signing-key');
    expect(key.statusCode).toBe(200);
    expect(key.json()).toEqual({ algorithm: 'ed25519', publicKey: archiveSigningKey(JWT_SECRET).publicKey });
    const intact = path.join(work, 'intact.zip');
    writeFileSync(intact, zip);
    // No server secret at hand: the published public key and the SHA-256 the archive page shows.
    const ok = verifyCli(intact, ['--public-key', key.json().publicKey, '--sha256', archive.sha256], {
      JWT_SECRET: 'another-server-entirely-000000000000000',
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('整包与归档时记录的 SHA-256 一致');
    const wrongHash = verifyCli(intact, ['--sha256', '0'.repeat(64)]);
    expect(wrongHash.status).toBe(1);
    expect(wrongHash.stderr).toContain('整个归档包的 SHA-256 与归档时记录的不同');
    // And a server with another secret does not take this package as its own.
    const otherServer = verifyCli(intact, [], { JWT_SECRET: 'another-server-entirely-000000000000000' });
    expect(otherServer.status).toBe(1);
  });

  test('the stored package is checked before it is served', async () => {
    const [row] = await t.db
      .select()
      .from(quarterArchivesTable)
      .where(eq(quarterArchivesTable.id, archive.id));
    const file = path.join(t.uploadsDir, row!.storageKey);
    const original = readFileSync(file);
    const changed = Buffer.from(original);
    changed[changed.length - 30] = changed[changed.length - 30]! ^ 1;
    writeFileSync(file, changed);
    try {
      const r = await call(secretary, 'GET', `/api/archives/${archive.id}/package`);
      expect(r.statusCode).toBe(409);
      expect(r.json().error.code).toBe('archive_file_changed');
    } finally {
      writeFileSync(file, original);
    }
  });
});

describe('the lock: an archived quarter is read-only', () => {
  const refusedArchived = async (r: Awaited<ReturnType<typeof call>>) => {
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({
      code: 'quarter_archived',
      message: '2026年第三季度已归档，该季度的记录只读，不能再修改',
    });
  };

  test('editing an issue of the quarter → 409 quarter_archived, and nothing changes', async () => {
    const before = await snapshot();
    const task = filedOpen.tasks.find((x) => x.status === 'open')!;
    await refusedArchived(
      await call(await t.loginAs(task.assignee.key), 'POST', `/api/tasks/${task.id}/accept`),
    );
    await refusedArchived(
      await call(await t.loginAs('wu-wenjie'), 'POST', `/api/issues/${filedOpen.id}/reject`, {
        reason: '已由街道处理',
      }),
    );
    // A meeting held in the quarter cannot be recorded after the fact.
    await refusedArchived(
      await call(await t.loginAs('wu-wenjie'), 'POST', '/api/zone-meetings', {
        community: 'xiaduoyuan',
        zone: 'zone-1',
        at: '2026-09-28T19:00:00+08:00',
        place: '1号楼架空层',
        agenda: [filedOpen.id],
      }),
    );
    // A duty-desk entry of the quarter cannot become an issue now.
    await refusedArchived(
      await call(secretary, 'POST', `/api/duty/log/${dutyEntryId}/issue`, {
        category: 'public_facility',
        building: 7,
      }),
    );
    // The background clocks leave the frozen issue alone (its deadlines have long passed).
    await t.runFollowUp();
    expect(await snapshot()).toEqual(before);
  });

  test('the next quarter is open as usual', async () => {
    const inspector = await t.loginAs('yang-chenyi');
    const r = await call(inspector, 'POST', '/api/issues', {
      community: 'xiaduoyuan',
      building: 7,
      category: 'public_facility',
      description: '7号楼路灯还是不亮',
    });
    expect(r.statusCode).toBe(201);
    const fresh = r.json() as IssueDetail;
    const task = fresh.tasks.find((x) => x.status === 'open')!;
    const accepted = await call(await t.loginAs(task.assignee.key), 'POST', `/api/tasks/${task.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    const zm = await call(await t.loginAs('wu-wenjie'), 'POST', '/api/zone-meetings', {
      community: 'xiaduoyuan',
      zone: 'zone-1',
      at: '2026-10-12T19:00:00+08:00',
      place: '1号楼架空层',
      agenda: [fresh.id],
    });
    expect(zm.statusCode).toBe(201);
    expect((zm.json() as ZoneMeetingView).status).toBe('convened');
  });
});

describe('the lock in the database: a writer that forgets the check is refused too', () => {
  const inQ3 = `created_at >= '${Q3_START.toISOString()}' and created_at < '${Q3_END.toISOString()}'`;
  const q3Issues = `issue_id in (select id from issues where ${inQ3})`;
  const one = (table: string, cond: string) =>
    `update ${table} set id = id where id = (select id from ${table} where ${cond} limit 1)`;
  /** The database's refusal, as the driver reports it (Drizzle wraps it: the cause chain). */
  const sqlstateOf = async (statement: string) => {
    try {
      await t.db.execute(sql.raw(statement));
      return 'accepted';
    } catch (err) {
      for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
        const { code, detail } = e as { code?: string; detail?: string };
        if (code) return `${code} ${detail ?? ''}`.trim();
      }
      throw err;
    }
  };

  test.each([
    ['an issue', one('issues', inQ3)],
    ['deleting an issue', `delete from issues where id = (select id from issues where ${inQ3} limit 1)`],
    ['a task of an issue of the quarter', one('tasks', q3Issues)],
    ['a photo of an issue of the quarter', one('photos', q3Issues)],
    ['a rating', one('issue_ratings', q3Issues)],
    [
      'an event added to an issue of the quarter',
      `insert into issue_events select * from issue_events where ${q3Issues} limit 1`,
    ],
    ['a letter', one('letters', inQ3)],
    ['a zone meeting held in the quarter', one('zone_meetings', inQ3.replaceAll('created_at', 'at'))],
    ['a joint meeting held in the quarter', one('joint_meetings', inQ3.replaceAll('created_at', 'at'))],
    ['a resolution', one('resolutions', inQ3)],
    ['a duty shift of the quarter', one('duty_shifts', `date between '2026-07-01' and '2026-09-30'`)],
    ['a duty-log entry', one('duty_log_entries', inQ3)],
    ['a notice drafted in the quarter', one('notices', inQ3)],
    // An update is checked on the row it makes too (0029 checks it only when it moves the row).
    [
      'an issue of the next quarter moved into it',
      `update issues set created_at = '${Q3_START.toISOString()}' where id = (select id from issues where created_at >= '${Q3_END.toISOString()}' limit 1)`,
    ],
    [
      'a task of the next quarter moved onto an issue of the quarter',
      `update tasks set issue_id = (select id from issues where ${inQ3} limit 1) where id = (select id from tasks where issue_id in (select id from issues where created_at >= '${Q3_END.toISOString()}') limit 1)`,
    ],
  ])('%s → SQLSTATE GZ409 naming the quarter', async (_name, statement) => {
    expect(await sqlstateOf(statement)).toBe('GZ409 2026Q3');
  });

  test('the API answers it as 409 quarter_archived: withdrawing the roster published in the quarter', async () => {
    const list = await call(secretary, 'GET', '/api/notices?community=xiaduoyuan&status=published');
    const roster = (list.json() as { items: { id: string; createdAt: string }[] }).items.find(
      (n) => new Date(n.createdAt) < Q3_END,
    )!;
    const r = await call(secretary, 'POST', `/api/notices/${roster.id}/withdraw`, { reason: '名单有误' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('quarter_archived');
    const after = await call(secretary, 'GET', `/api/notices/${roster.id}`);
    expect(after.json().status).toBe('published');
  });

  test('records of the next quarter are writable; record tables refuse TRUNCATE', async () => {
    expect(await sqlstateOf(one('issues', `created_at >= '${Q3_END.toISOString()}'`))).toBe('accepted');
    for (const table of [
      'issue_events',
      'duty_shift_changes',
      'evaluation_responses',
      'quarter_archives',
      'account_events',
      'community_config_versions',
    ]) {
      expect(await sqlstateOf(`truncate ${table} cascade`)).toBe('23514');
    }
    expect(await sqlstateOf('update quarter_archives set sha256 = sha256')).toBe('23514');
  });
});
