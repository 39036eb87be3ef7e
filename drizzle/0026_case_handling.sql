CREATE TABLE "issue_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"task_id" uuid NOT NULL,
	"requested_by" text NOT NULL,
	"reason" text NOT NULL,
	"current_due_at" timestamp with time zone,
	"new_due_at" timestamp with time zone,
	"decided_by" text,
	"decision_note" text,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "resolved_by" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "parked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "park_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "extension_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "urge_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_requests" ADD CONSTRAINT "issue_requests_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_requests_issue" ON "issue_requests" USING btree ("issue_id");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_requests_one_pending" ON "issue_requests" USING btree ("issue_id","kind") WHERE status = 'pending';