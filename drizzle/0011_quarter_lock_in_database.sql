-- The quarter lock in the database (docs/domain.md §13): a record of an archived quarter is
-- read-only whoever writes it. The services check the lock first (assertQuarterOpen, for a precise
-- 409); these triggers are the guard a new writer cannot forget. A record belongs to the quarter of
-- its own instant, or of its parent's (an issue's events, tasks and photos: when the issue was
-- submitted), the same instants the archive selects by.
--
-- TG_ARGV: 'own', <community column>, <instant column>
--      or: 'parent', <foreign key column>, <parent table>, <parent instant column>
CREATE OR REPLACE FUNCTION gongzhi_quarter_guard() RETURNS trigger AS $$
DECLARE
  src jsonb;
  rows jsonb[];
  c_id uuid;
  instant timestamptz;
  archived text;
BEGIN
  IF TG_OP = 'INSERT' THEN rows := ARRAY[to_jsonb(NEW)];
  ELSIF TG_OP = 'DELETE' THEN rows := ARRAY[to_jsonb(OLD)];
  ELSE rows := ARRAY[to_jsonb(OLD), to_jsonb(NEW)];
  END IF;
  FOREACH src IN ARRAY rows LOOP
    IF TG_ARGV[0] = 'own' THEN
      c_id := (src ->> TG_ARGV[1])::uuid;
      instant := (src ->> TG_ARGV[2])::timestamptz;
    ELSE
      CONTINUE WHEN src ->> TG_ARGV[1] IS NULL;
      EXECUTE format('SELECT community_id, %I FROM %I WHERE id = $1', TG_ARGV[3], TG_ARGV[2])
        INTO c_id, instant USING (src ->> TG_ARGV[1])::uuid;
    END IF;
    CONTINUE WHEN c_id IS NULL OR instant IS NULL;
    -- Archiving holds the community row FOR UPDATE: wait for it, then see its lock.
    PERFORM 1 FROM communities WHERE id = c_id FOR KEY SHARE;
    SELECT quarter INTO archived FROM quarter_archives
      WHERE community_id = c_id AND starts_at <= instant AND instant < ends_at LIMIT 1;
    IF archived IS NOT NULL THEN
      RAISE EXCEPTION 'quarter_archived' USING ERRCODE = 'GZ409', DETAIL = archived,
        HINT = format('%s of %s is in an archived quarter', TG_OP, TG_TABLE_NAME);
    END IF;
  END LOOP;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER issues_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issues
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER issue_events_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issue_events
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER tasks_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER report_backs_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON report_backs
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER photos_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON photos
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER issue_ratings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON issue_ratings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER fund_uses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON fund_uses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'issue_id', 'issues', 'created_at');
--> statement-breakpoint
CREATE TRIGGER owners_assemblies_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON owners_assemblies
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER letters_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON letters
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER lapses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON lapses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER zone_meetings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON zone_meetings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'at');
--> statement-breakpoint
CREATE TRIGGER zone_meeting_issues_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON zone_meeting_issues
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'meeting_id', 'zone_meetings', 'at');
--> statement-breakpoint
CREATE TRIGGER joint_meetings_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_meetings
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'at');
--> statement-breakpoint
CREATE TRIGGER joint_agenda_items_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON joint_agenda_items
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'meeting_id', 'joint_meetings', 'at');
--> statement-breakpoint
CREATE TRIGGER resolutions_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON resolutions
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER resolution_progress_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON resolution_progress
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'resolution_id', 'resolutions', 'created_at');
--> statement-breakpoint
CREATE TRIGGER duty_shifts_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_shifts
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'date');
--> statement-breakpoint
CREATE TRIGGER duty_shift_changes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_shift_changes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER duty_log_entries_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON duty_log_entries
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER notices_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON notices
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER evaluation_campaigns_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_campaigns
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('own', 'community_id', 'created_at');
--> statement-breakpoint
CREATE TRIGGER evaluation_codes_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_codes
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'campaign_id', 'evaluation_campaigns', 'created_at');
--> statement-breakpoint
CREATE TRIGGER evaluation_responses_quarter_lock BEFORE INSERT OR UPDATE OR DELETE ON evaluation_responses
  FOR EACH ROW EXECUTE FUNCTION gongzhi_quarter_guard('parent', 'campaign_id', 'evaluation_campaigns', 'created_at');
--> statement-breakpoint
-- A TRUNCATE empties a table without firing row triggers: the record tables and the archive's
-- own rows refuse it too.
CREATE TRIGGER issue_events_no_truncate BEFORE TRUNCATE ON issue_events
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER duty_shift_changes_no_truncate BEFORE TRUNCATE ON duty_shift_changes
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER evaluation_responses_no_truncate BEFORE TRUNCATE ON evaluation_responses
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER quarter_archives_append_only BEFORE UPDATE OR DELETE ON quarter_archives
  FOR EACH ROW EXECUTE FUNCTION gongzhi_refuse_change();
--> statement-breakpoint
CREATE TRIGGER quarter_archives_no_truncate BEFORE TRUNCATE ON quarter_archives
  FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_refuse_change();
