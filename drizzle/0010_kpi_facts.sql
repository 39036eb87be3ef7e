ALTER TABLE "issues" ADD COLUMN "handled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "reopen_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "resolve_due_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "issues_line_created" ON "issues" USING btree ("community_id","line","created_at") WHERE line is not null;--> statement-breakpoint
-- Backfill the KPI facts from the record (issue_events is append-only; only issues is written).
-- Reopened: every "not fixed" (reject_fix) in the record.
UPDATE "issues" i SET "reopen_count" = e.n
FROM (SELECT "issue_id", count(*)::int AS n FROM "issue_events" WHERE "action" = 'reject_fix' GROUP BY "issue_id") e
WHERE e."issue_id" = i."id";--> statement-breakpoint
-- Handled: the first time the issue reached resolved or closed, or got a joint-meeting resolution.
UPDATE "issues" i SET "handled_at" = e.at
FROM (
  SELECT "issue_id", min("created_at") AS at FROM "issue_events"
  WHERE "to_status" IN ('resolved', 'closed') OR "action" IN ('decide_dispatch', 'decide_close', 'joint_resolution')
  GROUP BY "issue_id"
) e
WHERE e."issue_id" = i."id";--> statement-breakpoint
-- The SLA resolve deadline from submission: an issue dispatched at intake has it on its first task
-- (opened in the same instant with the same urgency and category). An issue referred to the joint
-- meeting at intake has no such task; it keeps NULL and counts as not on time (README, KPIs).
UPDATE "issues" i SET "resolve_due_at" = t."resolve_due_at"
FROM (SELECT DISTINCT ON ("issue_id") "issue_id", "resolve_due_at", "created_at" FROM "tasks" ORDER BY "issue_id", "seq") t
WHERE t."issue_id" = i."id" AND t."created_at" = i."created_at";
