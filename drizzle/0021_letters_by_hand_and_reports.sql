CREATE TABLE "letter_proposals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"org" text NOT NULL,
	"reason" text NOT NULL,
	"issue_ids" uuid[] NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"decision_note" text,
	"letter_id" uuid
);
--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "issued_by" text;--> statement-breakpoint
ALTER TABLE "joint_agenda_items" ADD COLUMN "briefing" text;--> statement-breakpoint
ALTER TABLE "letter_proposals" ADD CONSTRAINT "letter_proposals_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "letter_proposals" ADD CONSTRAINT "letter_proposals_letter_id_letters_id_fk" FOREIGN KEY ("letter_id") REFERENCES "public"."letters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "letter_proposals_key" ON "letter_proposals" USING btree ("community_id","key");--> statement-breakpoint
CREATE INDEX "letter_proposals_community" ON "letter_proposals" USING btree ("community_id","created_at" DESC NULLS LAST);