ALTER TABLE "issues" ADD COLUMN "contact_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "channel" text DEFAULT 'online' NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "recorded_by_account_id" uuid;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD CONSTRAINT "issue_ratings_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written backfill (issue 17 item 6): the first closing and the first staff reply the reporter reads, from the record. contact_due_at stays null for older issues (they are left out of the 响应率).
UPDATE "issues" SET "closed_at" = (SELECT min(e."created_at") FROM "issue_events" e WHERE e."issue_id" = "issues"."id" AND e."to_status" = 'closed') WHERE "closed_at" IS NULL;--> statement-breakpoint
UPDATE "issues" SET "first_contact_at" = (SELECT min(e."created_at") FROM "issue_events" e WHERE e."issue_id" = "issues"."id" AND e."action" IN ('accept', 'start', 'resolve') AND btrim(coalesce(e."note", '')) <> '') WHERE "first_contact_at" IS NULL;
