import { count, eq, sql } from 'drizzle-orm';
import {
  idempotencyKeysTable,
  issueEventsTable,
  issuesTable,
  outboxTable,
  tasksTable,
} from '../../apps/api/src/db/schema';
import { buildTestApp, type TestApp, testClock } from '../helpers/build-app';
import * as flow from '../helpers/issue-flow';
import { startTurnCounter } from '../helpers/wire-turns';

/**
 * The writes send the statements of a transaction that need no answer of each other together
 * (db/together.ts; issue 19, "Writes, fourth round"). They are the same statements in the same
 * order as one at a time, so the answers are too: a statement that fails in the middle of what was
 * sent together still aborts the transaction and gives the error it gave before, and nothing stays.
 */
const PG = process.env.DATABASE_URL;
const clock = testClock(new Date('2026-11-16T02:00:00Z'));
let t: TestApp;
let proxy: Awaited<ReturnType<typeof startTurnCounter>> | null = null;
let zhangLifen: flow.Session;

beforeAll(async () => {
  if (PG) {
    const u = new URL(PG);
    proxy = await startTurnCounter({ host: u.hostname, port: Number(u.port || 5432) });
  }
  t = await buildTestApp({ now: clock.now, ...(proxy ? { database: { via: proxy.via } } : {}) });
  zhangLifen = await t.loginAs('zhang-lifen');
  // The zone leader, told of every new issue of zone 1: an account to queue the message for.
  await t.loginAs('wu-wenjie');
});
afterAll(async () => {
  await t.close();
  await proxy?.close();
});

// Each test an hour after the last: the hourly complaint limits of the one QR code start anew.
beforeEach(() => clock.advance(3_600_000));

let address = 0;
const complaint = (description: string, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/complaints',
    payload: { qr: flow.qrFor(12), category: 'sanitation', description },
    remoteAddress: `10.77.${Math.floor(++address / 250)}.${address % 250}`,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

/** A new complaint's open task of zhang-lifen (zone 1's property specialist). */
async function openTask(description: string) {
  const { trackingCode } = await flow.complain(t, 12, description);
  const issueId = await flow.issueIdOf(t, trackingCode);
  const task = flow.openTaskOf(await flow.issueById(t, zhangLifen, issueId), 'zhang-lifen')!;
  return { issueId, taskId: task.id };
}

const counted = async (
  table: typeof issuesTable | typeof issueEventsTable | typeof tasksTable | typeof outboxTable,
) => (await t.db.select({ n: count() }).from(table))[0]!.n;
const everything = async () => ({
  issues: await counted(issuesTable),
  events: await counted(issueEventsTable),
  tasks: await counted(tasksTable),
  outbox: await counted(outboxTable),
});

/** A trigger that refuses the statement as the quarter lock does (GZ409, the quarter in DETAIL). */
async function refuse(table: string, op: 'insert' | 'update', when = 'true') {
  await t.db.execute(
    sql.raw(`create or replace function test_refuse() returns trigger language plpgsql as $$
      begin raise exception 'quarter_archived' using errcode = 'GZ409', detail = '2026Q3'; end $$`),
  );
  await t.db.execute(
    sql.raw(
      `create trigger test_refuse before ${op} on ${table} for each row when (${when}) execute function test_refuse()`,
    ),
  );
  return () => t.db.execute(sql.raw(`drop trigger test_refuse on ${table}`));
}

/**
 * With one statement refused (`refuse`), `work` answers 409 quarter_archived — what a refusal of
 * that statement gave one statement at a time — and no issue, event, task or outbox row is left.
 */
async function refusedAndNothingWritten(
  refusal: Parameters<typeof refuse>,
  work: () => Promise<{ statusCode: number; json(): { error: { code: string } } }>,
) {
  const before = await everything();
  const drop = await refuse(...refusal);
  try {
    const r = await work();
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('quarter_archived');
  } finally {
    await drop();
  }
  expect(await everything()).toEqual(before);
}

(PG ? describe : describe.skip)('round trips to PostgreSQL', () => {
  // The fewest turns of a few tries: a pool connection that has not run a statement yet prepares it
  // first (one more round trip per new statement).
  const fewest = async (work: () => Promise<unknown>) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 12; i++) best = Math.min(best, await proxy!.count(work));
    return best;
  };

  test('an accept: at most 8 round trips (13 statements one at a time)', async () => {
    const tasks: { taskId: string }[] = [];
    for (let i = 0; i < 12; i++) tasks.push(await openTask(`往返计数 ${i}`));
    let next = 0;
    const turns = await fewest(async () => {
      const r = await flow.taskStep(t, zhangLifen, tasks[next++]!.taskId, 'accept');
      expect(r.statusCode).toBe(200);
    });
    // One at a time it was 14 (13 since the tasks in hand are read once).
    expect(turns).toBeLessThanOrEqual(8);
  });

  test('an anonymous complaint: at most 7 round trips (12 one statement at a time)', async () => {
    let n = 0;
    const turns = await fewest(async () => {
      const r = await complaint(`往返计数的投诉 ${n++}`);
      expect(r.statusCode).toBe(201);
    });
    // One at a time it was 12.
    expect(turns).toBeLessThanOrEqual(7);
  });

  test('a complaint with an Idempotency-Key: at most 10 round trips (15 one statement at a time)', async () => {
    let n = 0;
    const turns = await fewest(async () => {
      const r = await complaint(`往返计数的幂等投诉 ${n}`, `pipeline-turns-${n++}`);
      expect(r.statusCode).toBe(201);
    });
    // The claim before and the stored answer after stay round trips of their own (ADR 0004); the
    // commit goes with the issue's other writes. (A batch whose first statement is 1 KB or more —
    // the issue's insert, the tasks' — leaves in two socket writes, postgres.js flushing it at
    // once, and the second can wait for the first's acknowledgement: counted here as two.)
    expect(turns).toBeLessThanOrEqual(10);
  });
});

describe('a statement refused in the middle of what was sent together', () => {
  test('a complaint whose routing event is refused (the last of the issue, its intake event and the quarter lock): the same 409, nothing written', async () => {
    await refusedAndNothingWritten(['issue_events', 'insert', "new.action = 'dispatch'"], () =>
      complaint('事件被拒绝的投诉'),
    );
  });

  test('a complaint whose task is refused (sent with the outbox and the Idempotency-Key commit): the same 409, nothing written, the key not committed', async () => {
    await refusedAndNothingWritten(['tasks', 'insert'], () =>
      complaint('任务被拒绝的投诉', 'pipeline-refused-1'),
    );
    const keys = await t.db
      .select({ state: idempotencyKeysTable.state })
      .from(idempotencyKeysTable)
      .where(eq(idempotencyKeysTable.key, 'pipeline-refused-1'));
    expect(keys.every((k) => k.state !== 'committed')).toBe(true);
    // The key is free again: the same request now goes through, once.
    const r = await complaint('任务被拒绝的投诉', 'pipeline-refused-1');
    expect(r.statusCode).toBe(201);
  });

  test('a complaint whose message to the zone leader is refused (after the task and its message): the same 409, nothing written', async () => {
    await refusedAndNothingWritten(['outbox', 'insert', "new.kind = 'issue_filed'"], () =>
      complaint('通知被拒绝的投诉'),
    );
  });

  test('an accept whose task update is refused (sent with the read of the tasks in hand): the same 409, the task still open', async () => {
    const { issueId, taskId } = await openTask('接单时任务被拒绝');
    await refusedAndNothingWritten(['tasks', 'update'], () => flow.taskStep(t, zhangLifen, taskId, 'accept'));
    const [task] = await t.db.select().from(tasksTable).where(eq(tasksTable.id, taskId));
    expect(task!.status).toBe('open');
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, issueId));
    expect(issue!.status).toBe('dispatched');
  });

  test("an accept whose event is refused (sent with the issue's update): the same 409, the issue and the task unchanged", async () => {
    const { issueId, taskId } = await openTask('接单时事件被拒绝');
    const [issueBefore] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, issueId));
    await refusedAndNothingWritten(['issue_events', 'insert', "new.action = 'accept'"], () =>
      flow.taskStep(t, zhangLifen, taskId, 'accept'),
    );
    const [issue] = await t.db.select().from(issuesTable).where(eq(issuesTable.id, issueId));
    expect(issue).toEqual(issueBefore);
    const [task] = await t.db.select().from(tasksTable).where(eq(tasksTable.id, taskId));
    expect(task!.status).toBe('open');
    // And without the refusal the same step goes through.
    expect((await flow.taskStep(t, zhangLifen, taskId, 'accept')).statusCode).toBe(200);
  });
});
