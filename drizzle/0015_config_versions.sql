CREATE TABLE "community_config_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_key" text NOT NULL,
	"version" integer NOT NULL,
	"config" jsonb NOT NULL,
	"config_hash" text NOT NULL,
	"source" text NOT NULL,
	"source_hash" text,
	"author_account_id" uuid,
	"author_name" text,
	"reason" text NOT NULL,
	"diff" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "community_config_versions" ADD CONSTRAINT "community_config_versions_author_account_id_accounts_id_fk" FOREIGN KEY ("author_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "config_versions_community_version" ON "community_config_versions" USING btree ("community_key","version");--> statement-breakpoint
-- Configuration history is a record like the issue timeline: append-only.
CREATE TRIGGER community_config_versions_append_only BEFORE UPDATE OR DELETE ON community_config_versions
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER community_config_versions_no_truncate BEFORE TRUNCATE ON community_config_versions
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
