-- The follow-up clock's letter proposals (services/followup/pressure.ts) start from the issues residents
-- pressed: the reopened ones and the low ratings of a community, each by an index of its own, instead
-- of every issue of the community with a count of its events each (issue 19).
CREATE INDEX "issues_reopened" ON "issues" USING btree ("community_id") WHERE reopen_count > 0;--> statement-breakpoint
CREATE INDEX "issue_ratings_community_score" ON "issue_ratings" USING btree ("community_id","score");