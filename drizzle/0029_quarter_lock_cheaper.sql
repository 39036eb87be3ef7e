-- The quarter lock's triggers, cheaper (issue 19), with exactly the guarantee of
-- 0011_quarter_lock_in_database: every row inserted, updated or deleted in a record table is
-- refused (SQLSTATE GZ409, the quarter in DETAIL) when it belongs to an archived quarter, by its
-- own instant or its parent's; an UPDATE is refused when the row was, or would become, part of
-- one. What changed is only how it is found out:
--  * one function per kind of record (its own instant column, or its parent's table), reading the
--    columns directly: no to_jsonb of the whole row, and the parent's read is static SQL, planned
--    once per session, instead of EXECUTE format(…), parsed and planned on every row;
--  * an UPDATE that moves neither the community, the instant nor the parent checks once (the old
--    row's quarter is then the new row's): a task step or an issue write checked twice before.
-- The check itself is unchanged: KEY SHARE on the community row (archiving holds it FOR UPDATE:
-- wait for it, then see its lock), then the archived quarter containing the instant.
-- gongzhi_quarter_guard (0011) stays, unused by these tables, for any trigger elsewhere.
CREATE OR REPLACE FUNCTION gongzhi_quarter_check(c_id uuid, instant timestamptz, op text, tbl text)
RETURNS void AS $$
DECLARE
  archived text;
BEGIN
  IF c_id IS NULL OR instant IS NULL THEN RETURN; END IF;
  PERFORM 1 FROM communities WHERE id = c_id FOR KEY SHARE;
  SELECT quarter INTO archived FROM quarter_archives
    WHERE community_id = c_id AND starts_at <= instant AND instant < ends_at LIMIT 1;
  IF archived IS NOT NULL THEN
    RAISE EXCEPTION 'quarter_archived' USING ERRCODE = 'GZ409', DETAIL = archived,
      HINT = format('%s of %s is in an archived quarter', op, tbl);
  END IF;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_own_at() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM gongzhi_quarter_check(OLD."community_id", OLD."at"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW."community_id" IS DISTINCT FROM OLD."community_id"
      OR NEW."at" IS DISTINCT FROM OLD."at")) THEN
    PERFORM gongzhi_quarter_check(NEW."community_id", NEW."at"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_own_created_at() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM gongzhi_quarter_check(OLD."community_id", OLD."created_at"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW."community_id" IS DISTINCT FROM OLD."community_id"
      OR NEW."created_at" IS DISTINCT FROM OLD."created_at")) THEN
    PERFORM gongzhi_quarter_check(NEW."community_id", NEW."created_at"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_own_date() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM gongzhi_quarter_check(OLD."community_id", OLD."date"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (NEW."community_id" IS DISTINCT FROM OLD."community_id"
      OR NEW."date" IS DISTINCT FROM OLD."date")) THEN
    PERFORM gongzhi_quarter_check(NEW."community_id", NEW."date"::timestamptz, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_issue_id_issues() RETURNS trigger AS $$
DECLARE
  c_id uuid;
  instant timestamptz;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.issue_id IS NOT NULL THEN
    SELECT community_id, created_at INTO c_id, instant FROM issues WHERE id = OLD.issue_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.issue_id IS DISTINCT FROM OLD.issue_id))
      AND NEW.issue_id IS NOT NULL THEN
    c_id := NULL;
    instant := NULL;
    SELECT community_id, created_at INTO c_id, instant FROM issues WHERE id = NEW.issue_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_meeting_id_zone_meetings() RETURNS trigger AS $$
DECLARE
  c_id uuid;
  instant timestamptz;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.meeting_id IS NOT NULL THEN
    SELECT community_id, at INTO c_id, instant FROM zone_meetings WHERE id = OLD.meeting_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id IS DISTINCT FROM OLD.meeting_id))
      AND NEW.meeting_id IS NOT NULL THEN
    c_id := NULL;
    instant := NULL;
    SELECT community_id, at INTO c_id, instant FROM zone_meetings WHERE id = NEW.meeting_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_meeting_id_joint_meetings() RETURNS trigger AS $$
DECLARE
  c_id uuid;
  instant timestamptz;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.meeting_id IS NOT NULL THEN
    SELECT community_id, at INTO c_id, instant FROM joint_meetings WHERE id = OLD.meeting_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id IS DISTINCT FROM OLD.meeting_id))
      AND NEW.meeting_id IS NOT NULL THEN
    c_id := NULL;
    instant := NULL;
    SELECT community_id, at INTO c_id, instant FROM joint_meetings WHERE id = NEW.meeting_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_resolution_id_resolutions() RETURNS trigger AS $$
DECLARE
  c_id uuid;
  instant timestamptz;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.resolution_id IS NOT NULL THEN
    SELECT community_id, created_at INTO c_id, instant FROM resolutions WHERE id = OLD.resolution_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.resolution_id IS DISTINCT FROM OLD.resolution_id))
      AND NEW.resolution_id IS NOT NULL THEN
    c_id := NULL;
    instant := NULL;
    SELECT community_id, created_at INTO c_id, instant FROM resolutions WHERE id = NEW.resolution_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard_campaign_id_evaluation_campaigns() RETURNS trigger AS $$
DECLARE
  c_id uuid;
  instant timestamptz;
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.campaign_id IS NOT NULL THEN
    SELECT community_id, created_at INTO c_id, instant FROM evaluation_campaigns WHERE id = OLD.campaign_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF (TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.campaign_id IS DISTINCT FROM OLD.campaign_id))
      AND NEW.campaign_id IS NOT NULL THEN
    c_id := NULL;
    instant := NULL;
    SELECT community_id, created_at INTO c_id, instant FROM evaluation_campaigns WHERE id = NEW.campaign_id;
    PERFORM gongzhi_quarter_check(c_id, instant, TG_OP, TG_TABLE_NAME);
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP TRIGGER duty_log_entries_quarter_lock ON duty_log_entries;
--> statement-breakpoint
CREATE TRIGGER duty_log_entries_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_log_entries
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER duty_shift_changes_quarter_lock ON duty_shift_changes;
--> statement-breakpoint
CREATE TRIGGER duty_shift_changes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_shift_changes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER duty_shifts_quarter_lock ON duty_shifts;
--> statement-breakpoint
CREATE TRIGGER duty_shifts_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_shifts
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_date();
--> statement-breakpoint
DROP TRIGGER evaluation_campaigns_quarter_lock ON evaluation_campaigns;
--> statement-breakpoint
CREATE TRIGGER evaluation_campaigns_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_campaigns
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER evaluation_codes_quarter_lock ON evaluation_codes;
--> statement-breakpoint
CREATE TRIGGER evaluation_codes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_codes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_campaign_id_evaluation_campaigns();
--> statement-breakpoint
DROP TRIGGER evaluation_responses_quarter_lock ON evaluation_responses;
--> statement-breakpoint
CREATE TRIGGER evaluation_responses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_responses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_campaign_id_evaluation_campaigns();
--> statement-breakpoint
DROP TRIGGER fund_uses_quarter_lock ON fund_uses;
--> statement-breakpoint
CREATE TRIGGER fund_uses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON fund_uses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER issue_events_quarter_lock ON issue_events;
--> statement-breakpoint
CREATE TRIGGER issue_events_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issue_events
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER issue_ratings_quarter_lock ON issue_ratings;
--> statement-breakpoint
CREATE TRIGGER issue_ratings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issue_ratings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER issues_quarter_lock ON issues;
--> statement-breakpoint
CREATE TRIGGER issues_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issues
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER joint_agenda_items_quarter_lock ON joint_agenda_items;
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_agenda_items
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_meeting_id_joint_meetings();
--> statement-breakpoint
DROP TRIGGER joint_meetings_quarter_lock ON joint_meetings;
--> statement-breakpoint
CREATE TRIGGER joint_meetings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_meetings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_at();
--> statement-breakpoint
DROP TRIGGER joint_votes_quarter_lock ON joint_votes;
--> statement-breakpoint
CREATE TRIGGER joint_votes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_votes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_meeting_id_joint_meetings();
--> statement-breakpoint
DROP TRIGGER lapses_quarter_lock ON lapses;
--> statement-breakpoint
CREATE TRIGGER lapses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON lapses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER letters_quarter_lock ON letters;
--> statement-breakpoint
CREATE TRIGGER letters_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER notices_quarter_lock ON notices;
--> statement-breakpoint
CREATE TRIGGER notices_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON notices
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER owners_assemblies_quarter_lock ON owners_assemblies;
--> statement-breakpoint
CREATE TRIGGER owners_assemblies_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON owners_assemblies
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER photos_quarter_lock ON photos;
--> statement-breakpoint
CREATE TRIGGER photos_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON photos
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER report_backs_quarter_lock ON report_backs;
--> statement-breakpoint
CREATE TRIGGER report_backs_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON report_backs
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER resolution_progress_quarter_lock ON resolution_progress;
--> statement-breakpoint
CREATE TRIGGER resolution_progress_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON resolution_progress
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_resolution_id_resolutions();
--> statement-breakpoint
DROP TRIGGER resolutions_quarter_lock ON resolutions;
--> statement-breakpoint
CREATE TRIGGER resolutions_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON resolutions
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_created_at();
--> statement-breakpoint
DROP TRIGGER tasks_quarter_lock ON tasks;
--> statement-breakpoint
CREATE TRIGGER tasks_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_issue_id_issues();
--> statement-breakpoint
DROP TRIGGER zone_meeting_issues_quarter_lock ON zone_meeting_issues;
--> statement-breakpoint
CREATE TRIGGER zone_meeting_issues_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON zone_meeting_issues
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_meeting_id_zone_meetings();
--> statement-breakpoint
DROP TRIGGER zone_meetings_quarter_lock ON zone_meetings;
--> statement-breakpoint
CREATE TRIGGER zone_meetings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON zone_meetings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard_own_at();
