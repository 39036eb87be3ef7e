CREATE TABLE "issue_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"issue_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"score" smallint NOT NULL,
	"fixed" boolean NOT NULL,
	"comment" text,
	"rater_account_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "issue_ratings_score_range" CHECK ("issue_ratings"."score" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD CONSTRAINT "issue_ratings_issue_id_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."issues"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD CONSTRAINT "issue_ratings_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_ratings" ADD CONSTRAINT "issue_ratings_rater_account_id_accounts_id_fk" FOREIGN KEY ("rater_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "issue_ratings_issue" ON "issue_ratings" USING btree ("issue_id");--> statement-breakpoint
CREATE INDEX "issue_ratings_community_created" ON "issue_ratings" USING btree ("community_id","created_at");