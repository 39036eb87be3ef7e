CREATE TABLE "fund_uses" (
	"issue_id" uuid PRIMARY KEY NOT NULL,
	"community_id" uuid NOT NULL,
	"notice_started_at" timestamp with time zone,
	"notice_text" text,
	"notice_recorded_by" text,
	"reported_to_oc_at" timestamp with time zone,
	"oc_report_note" text,
	"reported_by" text,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_agenda_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"community_id" uuid NOT NULL,
	"meeting_id" uuid,
	"no" integer,
	"title" text NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"issue_ids" uuid[] NOT NULL,
	"zone_meeting_id" uuid,
	"zone_resolution" jsonb,
	"reconsiders_resolution_id" uuid,
	"reconsiders" jsonb,
	"carried_from_id" uuid,
	"consultation_individual" text,
	"consultation_joint" text,
	"vote_for" integer,
	"vote_against" integer,
	"vote_abstain" integer,
	"vote_present" integer,
	"vote_passed" boolean,
	"vote_text" text,
	"defer_reason" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "joint_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"scheduled_by" text NOT NULL,
	"chair" text NOT NULL,
	"chair_designated_by" text,
	"invitees" jsonb NOT NULL,
	"present" text[] NOT NULL,
	"guests" text[] NOT NULL,
	"minutes_status" text NOT NULL,
	"minutes_text" text,
	"minutes_approved_by" text,
	"minutes_approved_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "owners_assemblies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"community_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"matter" text NOT NULL,
	"passed" boolean NOT NULL,
	"votes" jsonb,
	"result" jsonb NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_by_account_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resolution_progress" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"resolution_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" text NOT NULL,
	"by_account_id" uuid,
	"from_progress" integer NOT NULL,
	"to_progress" integer NOT NULL,
	"note" text,
	"milestone" text
);
--> statement-breakpoint
CREATE TABLE "resolutions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_no" integer NOT NULL,
	"chair" text NOT NULL,
	"issue_ids" uuid[] NOT NULL,
	"text" text NOT NULL,
	"responsible_org" text NOT NULL,
	"responsible_person" text NOT NULL,
	"due_date" date NOT NULL,
	"disposition" text NOT NULL,
	"milestones" jsonb NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"done" boolean DEFAULT false NOT NULL,
	"superseded_by_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "resolutions_item_id_unique" UNIQUE("item_id")
);
--> statement-breakpoint
CREATE TABLE "zone_meeting_issues" (
	"meeting_id" uuid NOT NULL,
	"issue_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text,
	"outcome" text,
	"text" text,
	"proposal" text,
	"assignee" text,
	CONSTRAINT "zone_meeting_issues_meeting_id_issue_id_pk" PRIMARY KEY("meeting_id","issue_id")
);
--> statement-breakpoint
CREATE TABLE "zone_meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"zone" text NOT NULL,
	"status" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"place" text NOT NULL,
	"convened_by" text NOT NULL,
	"invitees" text[] NOT NULL,
	"attendees" text[] NOT NULL,
	"resident_views" text,
	"minutes" text,
	"minutes_recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fund_uses" ADD CONSTRAINT "fund_uses_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fund_uses" ADD CONSTRAINT "fund_uses_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD CONSTRAINT "joint_agenda_items_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD CONSTRAINT "joint_agenda_items_meeting_id_joint_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."joint_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD CONSTRAINT "joint_agenda_items_zone_meeting_id_zone_meetings_id_fk" FOREIGN KEY ("zone_meeting_id") REFERENCES "public"."zone_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD CONSTRAINT "joint_agenda_items_reconsiders_resolution_id_resolutions_id_fk" FOREIGN KEY ("reconsiders_resolution_id") REFERENCES "public"."resolutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD CONSTRAINT "joint_agenda_items_carried_from_id_joint_agenda_items_id_fk" FOREIGN KEY ("carried_from_id") REFERENCES "public"."joint_agenda_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_meetings" ADD CONSTRAINT "joint_meetings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owners_assemblies" ADD CONSTRAINT "owners_assemblies_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owners_assemblies" ADD CONSTRAINT "owners_assemblies_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owners_assemblies" ADD CONSTRAINT "owners_assemblies_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolution_progress" ADD CONSTRAINT "resolution_progress_resolution_id_resolutions_id_fk" FOREIGN KEY ("resolution_id") REFERENCES "public"."resolutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolution_progress" ADD CONSTRAINT "resolution_progress_by_account_id_accounts_id_fk" FOREIGN KEY ("by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_meeting_id_joint_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."joint_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_item_id_joint_agenda_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."joint_agenda_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolutions" ADD CONSTRAINT "resolutions_superseded_by_id_resolutions_id_fk" FOREIGN KEY ("superseded_by_id") REFERENCES "public"."resolutions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zone_meeting_issues" ADD CONSTRAINT "zone_meeting_issues_meeting_id_zone_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."zone_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zone_meeting_issues" ADD CONSTRAINT "zone_meeting_issues_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "zone_meetings" ADD CONSTRAINT "zone_meetings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "joint_agenda_items_meeting_no" ON "joint_agenda_items" USING btree ("meeting_id","no");--> statement-breakpoint
CREATE INDEX "joint_agenda_items_waiting" ON "joint_agenda_items" USING btree ("community_id","created_at") WHERE meeting_id is null;--> statement-breakpoint
CREATE INDEX "joint_agenda_items_issues" ON "joint_agenda_items" USING gin ("issue_ids");--> statement-breakpoint
CREATE INDEX "joint_meetings_next" ON "joint_meetings" USING btree ("community_id","at") WHERE status = 'scheduled' and minutes_status = 'draft';--> statement-breakpoint
CREATE INDEX "joint_meetings_community_at" ON "joint_meetings" USING btree ("community_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "owners_assemblies_issue" ON "owners_assemblies" USING btree ("issue_id","seq");--> statement-breakpoint
CREATE INDEX "resolution_progress_resolution" ON "resolution_progress" USING btree ("resolution_id","id");--> statement-breakpoint
CREATE INDEX "resolutions_open_due" ON "resolutions" USING btree ("community_id","due_date") WHERE done = false;--> statement-breakpoint
CREATE INDEX "resolutions_community_created" ON "resolutions" USING btree ("community_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "resolutions_issues" ON "resolutions" USING gin ("issue_ids");--> statement-breakpoint
CREATE INDEX "zone_meeting_issues_issue" ON "zone_meeting_issues" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "zone_meetings_zone_created" ON "zone_meetings" USING btree ("community_id","zone","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "zone_meetings_community_created" ON "zone_meetings" USING btree ("community_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);