import { z } from 'zod';
import { Urgency } from '../community/schema';
import { PersonRef } from '../issues/person-ref';
import { IssueStatus } from '../issues/schema';
import { TaskRole } from '../routing/decide-route';
import { Cursor } from '../text';
import { TASK_ACTIONS, TaskStatus } from './lifecycle';

const Note = (max: number, what: string) => z.string().trim().max(max, `${what}最多 ${max} 字`);
const PersonKey = z.string().trim().min(1, '请选择处理人').max(32, '人员编号无效');
const PhotoIds = z.array(z.string().uuid('照片编号无效')).max(9, '最多 9 张照片').default([]);

export const TaskView = z.object({
  id: z.string(),
  issueId: z.string(),
  issueCode: z.string(),
  issueStatus: IssueStatus,
  category: z.string(),
  categoryName: z.string(),
  zone: z.string(),
  zoneName: z.string(),
  building: z.number().nullable(),
  spot: z.string().nullable(),
  urgency: Urgency,
  description: z.string(),
  assignee: PersonRef,
  role: TaskRole,
  org: z.string(),
  status: TaskStatus,
  statusName: z.string(),
  note: z.string().nullable(),
  acceptDueAt: z.string(),
  resolveDueAt: z.string(),
  /** Which deadline has passed while the task is still in hand, if any. */
  overdue: z.enum(['accept', 'resolve']).nullable(),
  createdAt: z.string(),
  acceptedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  /** What the caller may do to the task now (`taskActions`); the page shows exactly these. */
  allowedActions: z.array(z.enum(TASK_ACTIONS)),
});
export type TaskView = z.infer<typeof TaskView>;

export const TaskPage = z.object({ items: z.array(TaskView), nextCursor: z.string().nullable() });
export type TaskPage = z.infer<typeof TaskPage>;

export const ListTasksQuery = z.strictObject({
  community: z.string().min(1, '请指定小区'),
  /** mine: dispatched to me; owned: tasks on issues I own (all property tasks for the manager). */
  view: z.enum(['mine', 'owned']).default('mine'),
  status: z.enum(['active', 'done', 'all']).default('active'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  cursor: Cursor,
  limit: z.coerce.number().int().min(1, '每页至少 1 条').max(100, '每页最多 100 条').default(20),
});
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

export const ReturnTaskInput = z.strictObject({
  reason: Note(500, '退单原因').min(2, '请填写退单原因，至少 2 个字'),
});
export const ResolveTaskInput = z.strictObject({
  note: Note(2000, '处理说明').min(2, '请填写处理说明，至少 2 个字'),
  /** After-photos, uploaded first through /api/photos. */
  photoIds: PhotoIds,
});
export const ReassignTaskInput = z.strictObject({
  assignee: PersonKey,
  note: Note(500, '改派说明').min(2, '请填写改派说明，至少 2 个字'),
});
export const DispatchIssueInput = z.strictObject({
  assignee: PersonKey,
  note: Note(500, '派单说明').optional(),
});
export const VerifyIssueInput = z.strictObject({ note: Note(500, '说明').optional() });
export const RejectFixInput = z.strictObject({
  reason: Note(500, '原因').min(2, '请说明问题为何仍未解决，至少 2 个字'),
});
export const ReportBackInput = z.strictObject({
  to: PersonKey,
  note: Note(1000, '报备内容').min(2, '请填写报备内容，至少 2 个字'),
});

export const ReportBackView = z.object({
  to: PersonRef,
  dueAt: z.string(),
  doneAt: z.string().nullable(),
  doneBy: PersonRef.nullable(),
  note: z.string().nullable(),
  /** True once the deadline passed with no report-back: a recorded lapse. */
  lapsed: z.boolean(),
});
export type ReportBackView = z.infer<typeof ReportBackView>;
