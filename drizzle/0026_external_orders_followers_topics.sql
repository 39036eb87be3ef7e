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
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_replied_by_accounts_id_fk" FOREIGN KEY ("replied_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_orders" ADD CONSTRAINT "external_orders_created_by_accounts_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_followers" ADD CONSTRAINT "issue_followers_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_followers" ADD CONSTRAINT "issue_followers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_topics" ADD CONSTRAINT "monthly_topics_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_topics" ADD CONSTRAINT "monthly_topics_picked_by_accounts_id_fk" FOREIGN KEY ("picked_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "external_orders_source_no" ON "external_orders" USING btree ("community_id","source","external_no");--> statement-breakpoint
CREATE INDEX "external_orders_community_created" ON "external_orders" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "issue_followers_issue_account" ON "issue_followers" USING btree ("issue_id","account_id");--> statement-breakpoint
CREATE INDEX "issue_followers_account" ON "issue_followers" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_topics_month" ON "monthly_topics" USING btree ("community_id","month");