CREATE TABLE "honor_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"list" text NOT NULL,
	"subject" text NOT NULL,
	"reason" text NOT NULL,
	"day" date NOT NULL,
	"recorded_by" text,
	"recorded_by_name" text NOT NULL,
	"recorded_for" text NOT NULL,
	"recorded_by_account_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "honor_entries" ADD CONSTRAINT "honor_entries_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "honor_entries" ADD CONSTRAINT "honor_entries_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "honor_entries_community" ON "honor_entries" USING btree ("community_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- Red and black list entries are a record (留痕): never rewritten, never deleted.
CREATE TRIGGER honor_entries_append_only BEFORE UPDATE OR DELETE ON honor_entries
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();--> statement-breakpoint
CREATE TRIGGER honor_entries_no_truncate BEFORE TRUNCATE ON honor_entries
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
