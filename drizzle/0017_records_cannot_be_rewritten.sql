CREATE TABLE "joint_votes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"vote_for" integer NOT NULL,
	"vote_against" integer NOT NULL,
	"vote_abstain" integer NOT NULL,
	"vote_present" integer NOT NULL,
	"vote_passed" boolean NOT NULL,
	"vote_text" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_by_account_id" uuid,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "joint_votes" ADD CONSTRAINT "joint_votes_item_id_joint_agenda_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."joint_agenda_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_votes" ADD CONSTRAINT "joint_votes_meeting_id_joint_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."joint_meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "joint_votes" ADD CONSTRAINT "joint_votes_recorded_by_account_id_accounts_id_fk" FOREIGN KEY ("recorded_by_account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "joint_votes_item" ON "joint_votes" USING btree ("item_id","id");--> statement-breakpoint
-- Records that cannot be rewritten (issue 15, item 10; docs/security.md "Records"). Votes, letters,
-- published notices, resolutions and their progress are what the governance plan keeps on record
-- (留痕): the database refuses to rewrite them whoever writes. A refusal is SQLSTATE 23514
-- (check_violation), like the older append-only tables (gongzhi_refuse_change, 0001).
--
-- Trigger names sort after "<table>_quarter_lock" so that, for a record of an archived quarter, the
-- quarter lock (GZ409, answered as 409 quarter_archived) speaks first.
--
-- gongzhi_record_guard(<column>...): a row is never deleted; an UPDATE may change only the columns
-- named as arguments (none: nothing may change). An UPDATE that changes nothing passes. Columns
-- added by later migrations are frozen unless a migration names them.
CREATE OR REPLACE FUNCTION gongzhi_record_guard() RETURNS trigger AS $$
DECLARE
  changed text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% is a record: a row is never deleted', TG_TABLE_NAME USING ERRCODE = 'check_violation';
  END IF;
  SELECT string_agg(o.key, ', ' ORDER BY o.key) INTO changed
    FROM jsonb_each(to_jsonb(OLD)) AS o
    WHERE o.value IS DISTINCT FROM (to_jsonb(NEW) -> o.key)
      AND NOT (o.key = ANY (coalesce(TG_ARGV, '{}'::text[])));
  IF changed IS NOT NULL THEN
    RAISE EXCEPTION '% is a record: % cannot change', TG_TABLE_NAME, changed USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint

-- 业主大会 votes (art. 278): each recording is a row, the latest decides. Append-only.
CREATE TRIGGER owners_assemblies_record_append_only BEFORE UPDATE OR DELETE ON owners_assemblies
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER owners_assemblies_record_no_truncate BEFORE TRUNCATE ON owners_assemblies
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- Joint-meeting votes: the chair may correct a vote until the item has its resolution
-- (recordJointVote); a resolved or deferred item is final, and nothing of a meeting whose minutes
-- the chair approved (locked) changes any more, its items included. Agenda items are never deleted.
CREATE TRIGGER joint_agenda_items_record_guard BEFORE UPDATE OR DELETE ON joint_agenda_items
  FOR EACH ROW WHEN (OLD.status IN ('resolved', 'deferred')) EXECUTE FUNCTION gongzhi_record_guard();
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_record_no_delete BEFORE DELETE ON joint_agenda_items
  FOR EACH ROW EXECUTE FUNCTION gongzhi_record_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_locked_minutes_guard() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM joint_meetings WHERE id = OLD.meeting_id AND minutes_status = 'locked')
     AND to_jsonb(OLD) IS DISTINCT FROM to_jsonb(NEW) THEN
    RAISE EXCEPTION '% is a record: the minutes of its meeting are locked', TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_record_minutes_locked BEFORE UPDATE ON joint_agenda_items
  FOR EACH ROW WHEN (OLD.meeting_id IS NOT NULL) EXECUTE FUNCTION gongzhi_locked_minutes_guard();
--> statement-breakpoint
CREATE TRIGGER joint_meetings_record_locked BEFORE UPDATE OR DELETE ON joint_meetings
  FOR EACH ROW WHEN (OLD.minutes_status = 'locked') EXECUTE FUNCTION gongzhi_record_guard();
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_record_no_truncate BEFORE TRUNCATE ON joint_agenda_items
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER joint_meetings_record_no_truncate BEFORE TRUNCATE ON joint_meetings
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- 提示函 / 警示函: what was sent is fixed; the organisation's acknowledgement is added once
-- (acknowledgeLetter) and is then fixed too. Never deleted.
CREATE TRIGGER letters_record_guard BEFORE UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION gongzhi_record_guard(
    'acknowledged_at', 'acknowledged_by_account_id', 'acknowledged_by', 'acknowledge_note');
--> statement-breakpoint
CREATE TRIGGER letters_record_acknowledged BEFORE UPDATE ON letters
  FOR EACH ROW WHEN (OLD.acknowledged_at IS NOT NULL) EXECUTE FUNCTION gongzhi_record_guard();
--> statement-breakpoint
CREATE TRIGGER letters_record_no_truncate BEFORE TRUNCATE ON letters
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- Notices: a draft is edited freely; once published, its content is fixed and only its end is
-- recorded — superseded by a correction, or withdrawn with who, when and why — after which nothing
-- changes. A published notice is never deleted.
CREATE TRIGGER notices_record_published BEFORE UPDATE OR DELETE ON notices
  FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION gongzhi_record_guard(
    'status', 'superseded_by_id', 'withdrawn_by_name', 'withdrawn_by_account_id', 'withdrawn_at',
    'withdraw_reason', 'updated_at');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_published_notice_end() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'notices is a record: a published notice can only be superseded or withdrawn, not become %',
    NEW.status USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER notices_record_published_end BEFORE UPDATE ON notices
  FOR EACH ROW WHEN (OLD.status = 'published' AND NEW.status NOT IN ('published', 'superseded', 'withdrawn'))
  EXECUTE FUNCTION gongzhi_published_notice_end();
--> statement-breakpoint
CREATE TRIGGER notices_record_ended BEFORE UPDATE OR DELETE ON notices
  FOR EACH ROW WHEN (OLD.status IN ('superseded', 'withdrawn') AND OLD.published_at IS NOT NULL)
  EXECUTE FUNCTION gongzhi_record_guard();
--> statement-breakpoint
CREATE TRIGGER notices_record_no_truncate BEFORE TRUNCATE ON notices
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- Resolutions: what was resolved is fixed; the tracked state (progress, done) follows the appended
-- progress entries, and a re-deliberation marks it superseded once.
CREATE TRIGGER resolutions_record_guard BEFORE UPDATE OR DELETE ON resolutions
  FOR EACH ROW EXECUTE FUNCTION gongzhi_record_guard('progress', 'done', 'updated_at', 'superseded_by_id');
--> statement-breakpoint
CREATE TRIGGER resolutions_record_superseded BEFORE UPDATE ON resolutions
  FOR EACH ROW WHEN (OLD.superseded_by_id IS NOT NULL) EXECUTE FUNCTION gongzhi_record_guard('progress', 'done', 'updated_at');
--> statement-breakpoint
CREATE TRIGGER resolutions_record_no_truncate BEFORE TRUNCATE ON resolutions
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- Every progress update of a resolution: append-only.
CREATE TRIGGER resolution_progress_record_append_only BEFORE UPDATE OR DELETE ON resolution_progress
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER resolution_progress_record_no_truncate BEFORE TRUNCATE ON resolution_progress
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint

-- Every vote recorded on a joint-meeting item: append-only, in the quarter of its meeting.
CREATE TRIGGER joint_votes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_votes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'meeting_id', 'joint_meetings', 'at');
--> statement-breakpoint
CREATE TRIGGER joint_votes_record_append_only BEFORE UPDATE OR DELETE ON joint_votes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER joint_votes_record_no_truncate BEFORE TRUNCATE ON joint_votes
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
-- An item's vote is versioned: whenever it changes, the new vote must be the latest one recorded in
-- joint_votes, so no count is ever changed without its record.
CREATE OR REPLACE FUNCTION gongzhi_joint_vote_recorded() RETURNS trigger AS $$
DECLARE
  latest joint_votes%ROWTYPE;
BEGIN
  IF NEW.vote_for IS NULL AND NEW.vote_against IS NULL AND NEW.vote_abstain IS NULL
     AND NEW.vote_present IS NULL AND NEW.vote_passed IS NULL AND NEW.vote_text IS NULL
     AND OLD.vote_for IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT * INTO latest FROM joint_votes WHERE item_id = NEW.id ORDER BY id DESC LIMIT 1;
  IF latest.id IS NULL
     OR (NEW.vote_for, NEW.vote_against, NEW.vote_abstain, NEW.vote_present, NEW.vote_passed, NEW.vote_text)
        IS DISTINCT FROM (latest.vote_for, latest.vote_against, latest.vote_abstain, latest.vote_present,
                          latest.vote_passed, latest.vote_text) THEN
    RAISE EXCEPTION 'joint_agenda_items is a record: a vote is changed only by recording it in joint_votes'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_record_vote BEFORE UPDATE OF vote_for, vote_against, vote_abstain,
  vote_present, vote_passed, vote_text ON joint_agenda_items
  FOR EACH ROW WHEN ((OLD.vote_for, OLD.vote_against, OLD.vote_abstain, OLD.vote_present, OLD.vote_passed, OLD.vote_text)
    IS DISTINCT FROM (NEW.vote_for, NEW.vote_against, NEW.vote_abstain, NEW.vote_present, NEW.vote_passed, NEW.vote_text))
  EXECUTE FUNCTION gongzhi_joint_vote_recorded();
