CREATE TABLE "evaluation_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"quarter" text NOT NULL,
	"title" text NOT NULL,
	"status" text NOT NULL,
	"questionnaire" jsonb NOT NULL,
	"created_by_account_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"opened_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"code_batches" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "evaluation_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"building" integer NOT NULL,
	"room" text NOT NULL,
	"zone" text NOT NULL,
	"batch" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evaluation_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"building" integer NOT NULL,
	"room" text NOT NULL,
	"zone" text NOT NULL,
	"channel" text NOT NULL,
	"home_id" uuid,
	"code_id" uuid,
	"answers" jsonb NOT NULL,
	"receipt" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "evaluation_responses_one_credential" CHECK (("evaluation_responses"."channel" = 'account' and "evaluation_responses"."home_id" is not null and "evaluation_responses"."code_id" is null) or ("evaluation_responses"."channel" = 'code' and "evaluation_responses"."code_id" is not null and "evaluation_responses"."home_id" is null))
);
--> statement-breakpoint
CREATE TABLE "resident_homes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"building" integer NOT NULL,
	"room" text NOT NULL,
	"zone" text NOT NULL,
	"status" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"note" text,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_account_id" uuid,
	"decided_by" text
);
--> statement-breakpoint
ALTER TABLE "evaluation_campaigns" ADD CONSTRAINT "evaluation_campaigns_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_campaigns" ADD CONSTRAINT "evaluation_campaigns_created_by_account_id_accounts_id_fk" FOREIGN KEY ("created_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_codes" ADD CONSTRAINT "evaluation_codes_campaign_id_evaluation_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."evaluation_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_responses" ADD CONSTRAINT "evaluation_responses_campaign_id_evaluation_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."evaluation_campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_responses" ADD CONSTRAINT "evaluation_responses_home_id_resident_homes_id_fk" FOREIGN KEY ("home_id") REFERENCES "public"."resident_homes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_responses" ADD CONSTRAINT "evaluation_responses_code_id_evaluation_codes_id_fk" FOREIGN KEY ("code_id") REFERENCES "public"."evaluation_codes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_homes" ADD CONSTRAINT "resident_homes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_homes" ADD CONSTRAINT "resident_homes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resident_homes" ADD CONSTRAINT "resident_homes_decided_by_account_id_accounts_id_fk" FOREIGN KEY ("decided_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_campaigns_quarter" ON "evaluation_campaigns" USING btree ("community_id","quarter");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_codes_hash" ON "evaluation_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_codes_household" ON "evaluation_codes" USING btree ("campaign_id","building","room");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluation_responses_household" ON "evaluation_responses" USING btree ("campaign_id","building","room");--> statement-breakpoint
CREATE INDEX "evaluation_responses_campaign_created" ON "evaluation_responses" USING btree ("campaign_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_homes_one_active" ON "resident_homes" USING btree ("account_id","community_id") WHERE "resident_homes"."status" in ('pending', 'verified');--> statement-breakpoint
CREATE INDEX "resident_homes_zone_queue" ON "resident_homes" USING btree ("community_id","zone","status","requested_at","id");--> statement-breakpoint
-- Evaluation responses are the record (留痕) of who answered and what was counted: append-only,
-- like issue_events (function from 0001).
CREATE TRIGGER evaluation_responses_append_only BEFORE UPDATE OR DELETE ON evaluation_responses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
