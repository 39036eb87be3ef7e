CREATE TABLE "oversight_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"subject" text NOT NULL,
	"ref" text NOT NULL,
	"text" text NOT NULL,
	"person" text NOT NULL,
	"by_name" text NOT NULL,
	"account_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrol_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"person" text NOT NULL,
	"person_name" text NOT NULL,
	"account_id" uuid NOT NULL,
	"zone" text NOT NULL,
	"building" integer,
	"place" text,
	"at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"issue_ids" uuid[] NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oversight_comments" ADD CONSTRAINT "oversight_comments_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_comments" ADD CONSTRAINT "oversight_comments_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_rounds" ADD CONSTRAINT "patrol_rounds_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_rounds" ADD CONSTRAINT "patrol_rounds_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oversight_comments_subject" ON "oversight_comments" USING btree ("community_id","subject","ref","created_at");--> statement-breakpoint
CREATE INDEX "patrol_rounds_at" ON "patrol_rounds" USING btree ("community_id","at");--> statement-breakpoint
CREATE INDEX "patrol_rounds_person" ON "patrol_rounds" USING btree ("community_id","person","at");--> statement-breakpoint
-- The supervisory committee's comments and the patrol rounds and home visits are records (seed 004,
-- seed 002): never rewritten, never deleted, whoever writes (SQLSTATE 23514, as in 0017).
CREATE TRIGGER oversight_comments_record_append_only BEFORE UPDATE OR DELETE ON oversight_comments
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER oversight_comments_record_no_truncate BEFORE TRUNCATE ON oversight_comments
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER patrol_rounds_record_append_only BEFORE UPDATE OR DELETE ON patrol_rounds
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER patrol_rounds_record_no_truncate BEFORE TRUNCATE ON patrol_rounds
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
