CREATE TABLE "external_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_no" text NOT NULL,
	"external_due_at" timestamp with time zone NOT NULL,
	"reply_due_at" timestamp with time zone NOT NULL,
	"reply_text" text,
	"replied_at" timestamp with time zone,
	"replied_by" uuid,
	"replied_by_name" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "external_orders_issue_id_unique" UNIQUE("issue_id")
);
--> statement-breakpoint
CREATE TABLE "issue_followers" (
	"issue_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monthly_topics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"month" text NOT NULL,
	"building" integer,
	"zone" text NOT NULL,
	"category" text NOT NULL,
	"count" integer NOT NULL,
	"note" text,
	"picked_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
ALTER TABLE "accounts" ADD COLUMN "wechat_phone" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "resolved_by" text;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "parked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "park_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "extension_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "urge_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "contact_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "first_contact_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "channel" text DEFAULT 'online' NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "recorded_by_account_id" uuid;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD COLUMN "recorded_by" text;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_replied_by_accounts_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_followers" ADD CONSTRAINT "issue_followers_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_followers" ADD CONSTRAINT "issue_followers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_topics" ADD CONSTRAINT "monthly_topics_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_topics" ADD CONSTRAINT "monthly_topics_picked_by_accounts_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_requests" ADD CONSTRAINT "issue_requests_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_orders_source_no" ON "external_orders" USING btree ("community_id","source","external_no");--> statement-breakpoint
CREATE INDEX "external_orders_community_created" ON "external_orders" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_followers_issue_account" ON "issue_followers" USING btree ("issue_id","account_id");--> statement-breakpoint
CREATE INDEX "issue_followers_account" ON "issue_followers" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_topics_month" ON "monthly_topics" USING btree ("community_id","month");--> statement-breakpoint
CREATE INDEX "issue_requests_issue" ON "issue_requests" USING btree ("issue_id");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_requests_one_pending" ON "issue_requests" USING btree ("issue_id","kind") WHERE status = 'pending';--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD CONSTRAINT "issue_ratings_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Hand-written backfill (issue 17 item 6): the first closing and the first staff reply the reporter reads, from the record. contact_due_at stays null for older issues (they are left out of the 响应率).
UPDATE "issues" SET "closed_at" = (SELECT min(e."created_at") FROM "issue_events" e WHERE e."issue_id" = "issues"."id" AND e."to_status" = 'closed') WHERE "closed_at" IS NULL;--> statement-breakpoint
UPDATE "issues" SET "first_contact_at" = (SELECT min(e."created_at") FROM "issue_events" e WHERE e."issue_id" = "issues"."id" AND e."action" IN ('accept', 'start', 'resolve') AND btrim(coalesce(e."note", '')) <> '') WHERE "first_contact_at" IS NULL;
