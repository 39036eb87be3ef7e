CREATE TABLE "duty_months" (
	"community_id" uuid NOT NULL,
	"month" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	"published_by_account_id" uuid,
	"published_by" text
);
--> statement-breakpoint
ALTER TABLE "duty_months" ADD CONSTRAINT "duty_months_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_months" ADD CONSTRAINT "duty_months_published_by_account_id_accounts_id_fk" FOREIGN KEY ("published_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "duty_months_community_month" ON "duty_months" USING btree ("community_id","month");