ALTER TABLE "issues" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "issues" ADD COLUMN "longitude" double precision;