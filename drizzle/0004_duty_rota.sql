CREATE TABLE "duty_log_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"shift_id" uuid,
	"person" text NOT NULL,
	"org" text,
	"recorder_account_id" uuid NOT NULL,
	"asked_by" text NOT NULL,
	"topic" text NOT NULL,
	"answer" text NOT NULL,
	"issue_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "duty_log_entries_issue_id_unique" UNIQUE("issue_id")
);
--> statement-breakpoint
CREATE TABLE "duty_preferences" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"show_contact" boolean,
	"phone" text,
	"feed_generation" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_shift_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"shift_id" uuid,
	"swap_id" uuid,
	"actor_account_id" uuid,
	"actor" text NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"data" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"date" date NOT NULL,
	"shift" text NOT NULL,
	"org" text NOT NULL,
	"person" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "duty_swaps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"shift_id" uuid,
	"in_return_shift_id" uuid,
	"shift_snapshot" jsonb NOT NULL,
	"in_return_snapshot" jsonb,
	"requester" text NOT NULL,
	"counterpart" text NOT NULL,
	"status" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "duty_log_entries" ADD CONSTRAINT "duty_log_entries_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_log_entries" ADD CONSTRAINT "duty_log_entries_shift_id_duty_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."duty_shifts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_log_entries" ADD CONSTRAINT "duty_log_entries_recorder_account_id_accounts_id_fk" FOREIGN KEY ("recorder_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_log_entries" ADD CONSTRAINT "duty_log_entries_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_preferences" ADD CONSTRAINT "duty_preferences_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_shift_changes" ADD CONSTRAINT "duty_shift_changes_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_shift_changes" ADD CONSTRAINT "duty_shift_changes_actor_account_id_accounts_id_fk" FOREIGN KEY ("actor_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_shifts" ADD CONSTRAINT "duty_shifts_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_swaps" ADD CONSTRAINT "duty_swaps_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_swaps" ADD CONSTRAINT "duty_swaps_shift_id_duty_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."duty_shifts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_swaps" ADD CONSTRAINT "duty_swaps_in_return_shift_id_duty_shifts_id_fk" FOREIGN KEY ("in_return_shift_id") REFERENCES "public"."duty_shifts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_log_community_created" ON "duty_log_entries" USING btree ("community_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "duty_shift_changes_community" ON "duty_shift_changes" USING btree ("community_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "duty_shifts_place_person" ON "duty_shifts" USING btree ("community_id","date","shift","org","person");--> statement-breakpoint
CREATE INDEX "duty_shifts_person" ON "duty_shifts" USING btree ("community_id","person","date");--> statement-breakpoint
CREATE INDEX "duty_swaps_requester" ON "duty_swaps" USING btree ("community_id","requester","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "duty_swaps_counterpart" ON "duty_swaps" USING btree ("community_id","counterpart","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "duty_swaps_open_shift" ON "duty_swaps" USING btree ("shift_id") WHERE status = 'requested';--> statement-breakpoint
-- Changes to the rota are the record (留痕): append-only, like issue_events (function from 0001).
CREATE TRIGGER duty_shift_changes_append_only BEFORE UPDATE OR DELETE ON duty_shift_changes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
