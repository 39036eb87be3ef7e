-- Rooms in their one canonical form (the domain's parseRoom): no leading zeros in a numeric part,
-- so "0302" and "302" are one household. Stored rooms are already upper case and "-"-separated;
-- only the zeros differ. Where two stored spellings of one household exist (the second answer the
-- old rule let through), the canonical spelling, or else the earliest row, takes the canonical room
-- and the others keep theirs: the record is not rewritten into a conflict, and no new answer or code
-- can be added for that household.
UPDATE "resident_homes"
SET "room" = regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g')
WHERE "room" ~ '(^|-)0[0-9]';
--> statement-breakpoint
WITH "canonical" AS (
  SELECT "id", regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g') AS "room",
    row_number() OVER (
      PARTITION BY "campaign_id", "building", regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g')
      ORDER BY "room" = regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g') DESC, "created_at", "id"
    ) AS "n"
  FROM "evaluation_codes"
)
UPDATE "evaluation_codes" AS "c" SET "room" = "canonical"."room"
FROM "canonical"
WHERE "c"."id" = "canonical"."id" AND "canonical"."n" = 1 AND "c"."room" <> "canonical"."room";
--> statement-breakpoint
-- Responses are append-only; this one correction of the household key is the migration's, as owner.
ALTER TABLE "evaluation_responses" DISABLE TRIGGER "evaluation_responses_append_only";
--> statement-breakpoint
WITH "canonical" AS (
  SELECT "id", regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g') AS "room",
    row_number() OVER (
      PARTITION BY "campaign_id", "building", regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g')
      ORDER BY "room" = regexp_replace("room", '(^|-)0+([0-9]+)(?=-|$)', '\1\2', 'g') DESC, "created_at", "id"
    ) AS "n"
  FROM "evaluation_responses"
)
UPDATE "evaluation_responses" AS "r" SET "room" = "canonical"."room"
FROM "canonical"
WHERE "r"."id" = "canonical"."id" AND "canonical"."n" = 1 AND "r"."room" <> "canonical"."room";
--> statement-breakpoint
ALTER TABLE "evaluation_responses" ENABLE TRIGGER "evaluation_responses_append_only";
