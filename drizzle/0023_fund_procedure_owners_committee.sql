ALTER TABLE "fund_uses" ADD COLUMN "notice_id" uuid;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD COLUMN "oc_acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD COLUMN "oc_acknowledged_by" text;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD COLUMN "oc_acknowledged_by_account_id" uuid;--> statement-breakpoint
ALTER TABLE "owners_assemblies" ADD COLUMN "held_on" date;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD CONSTRAINT "fund_uses_notice_id_notices_id_fk" FOREIGN KEY ("notice_id") REFERENCES "public"."notices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD CONSTRAINT "fund_uses_oc_acknowledged_by_account_id_accounts_id_fk" FOREIGN KEY ("oc_acknowledged_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- The owners' committee's receipt of a fund report (issue 16): once acknowledged, the fund
-- procedure's row is a record (gongzhi_record_guard, 0017): nothing of it changes any more.
CREATE TRIGGER fund_uses_record_acknowledged BEFORE UPDATE OR DELETE ON fund_uses
  FOR EACH ROW WHEN (OLD.oc_acknowledged_at IS NOT NULL) EXECUTE FUNCTION gongzhi_record_guard();
