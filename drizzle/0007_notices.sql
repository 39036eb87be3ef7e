CREATE TABLE "notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"zone" text,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"source" jsonb,
	"period_start" timestamp with time zone,
	"period_end" timestamp with time zone,
	"period_days" integer,
	"supersedes_id" uuid,
	"superseded_by_id" uuid,
	"year" integer,
	"seq" integer,
	"number" text,
	"author" text,
	"author_name" text NOT NULL,
	"author_account_id" uuid,
	"approved_by" text,
	"approved_by_name" text,
	"approved_by_account_id" uuid,
	"approved_at" timestamp with time zone,
	"published_by_name" text,
	"published_by_account_id" uuid,
	"published_at" timestamp with time zone,
	"withdrawn_by_name" text,
	"withdrawn_by_account_id" uuid,
	"withdrawn_at" timestamp with time zone,
	"withdraw_reason" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_supersedes_id_notices_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_superseded_by_id_notices_id_fk" FOREIGN KEY ("superseded_by_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_author_account_id_accounts_id_fk" FOREIGN KEY ("author_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_approved_by_account_id_accounts_id_fk" FOREIGN KEY ("approved_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_published_by_account_id_accounts_id_fk" FOREIGN KEY ("published_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_withdrawn_by_account_id_accounts_id_fk" FOREIGN KEY ("withdrawn_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notices_public" ON "notices" USING btree ("community_id","published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE status = 'published';--> statement-breakpoint
CREATE INDEX "notices_community_created" ON "notices" USING btree ("community_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "notices_number" ON "notices" USING btree ("community_id","year","seq");