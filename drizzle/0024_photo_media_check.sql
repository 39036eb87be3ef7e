ALTER TABLE "photos" ADD COLUMN "media_check_trace_id" text;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "media_check" text;--> statement-breakpoint
ALTER TABLE "photos" ADD CONSTRAINT "photos_media_check_trace_id_unique" UNIQUE("media_check_trace_id");