-- Principal changes, told to the embedded database's principal cache (issue 19). On PGlite the API
-- keeps the principal behind a session between requests (plugins/principal-cache.ts) and must drop
-- it the moment anything it was read from changes: the session (ended, its expiry, its account),
-- the account (kind, display name, person, one-time password, disabled), the person (key,
-- community) or the community (key). Each such change — by the API, a CLI command or plain SQL;
-- an UPDATE that moves one of these columns, a DELETE (cascaded ones too) or a TRUNCATE — sends a
-- notification on the channel gongzhi_principal: 's:<session id>', 'a:<account id>', or '*' (drop
-- everything: a person, a community, a truncated table). INSERTs change no existing principal.
--
-- Only a session that listens on the channel is told: PGlite's one session, which LISTENs when the
-- API starts with the cache. On PostgreSQL no session listens (the check stays on every request
-- there, several instances share the database), so nothing is queued and no commit waits for the
-- notification queue's lock; the triggers' WHEN clauses skip every update that moves none of the
-- columns without calling the function at all.
CREATE OR REPLACE FUNCTION gongzhi_principal_changed() RETURNS trigger AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_listening_channels() AS c WHERE c = 'gongzhi_principal') THEN
    RETURN NULL;
  END IF;
  IF TG_LEVEL = 'STATEMENT' OR TG_ARGV[0] = '*' THEN
    PERFORM pg_notify('gongzhi_principal', '*');
  ELSE
    PERFORM pg_notify('gongzhi_principal', TG_ARGV[0] || ':' || OLD.id);
    IF TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id THEN
      PERFORM pg_notify('gongzhi_principal', TG_ARGV[0] || ':' || NEW.id);
    END IF;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sessions_principal_update AFTER UPDATE ON sessions FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.account_id IS DISTINCT FROM NEW.account_id
    OR OLD.expires_at IS DISTINCT FROM NEW.expires_at OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION gongzhi_principal_changed('s');
--> statement-breakpoint
CREATE TRIGGER accounts_principal_update AFTER UPDATE ON accounts FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.kind IS DISTINCT FROM NEW.kind
    OR OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.person_id IS DISTINCT FROM NEW.person_id
    OR OLD.must_change_password IS DISTINCT FROM NEW.must_change_password
    OR OLD.disabled_at IS DISTINCT FROM NEW.disabled_at)
  EXECUTE FUNCTION gongzhi_principal_changed('a');
--> statement-breakpoint
CREATE TRIGGER people_principal_update AFTER UPDATE ON people FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.key IS DISTINCT FROM NEW.key
    OR OLD.community_id IS DISTINCT FROM NEW.community_id)
  EXECUTE FUNCTION gongzhi_principal_changed('*');
--> statement-breakpoint
CREATE TRIGGER communities_principal_update AFTER UPDATE ON communities FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id OR OLD.key IS DISTINCT FROM NEW.key)
  EXECUTE FUNCTION gongzhi_principal_changed('*');
--> statement-breakpoint
-- Every DELETE (by the session or account it names; a person or community: all) and every TRUNCATE.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES ('sessions', 's'), ('accounts', 'a'), ('people', '*'), ('communities', '*'))
      AS v(tbl, scope) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I FOR EACH ROW EXECUTE FUNCTION gongzhi_principal_changed(%L)',
      t.tbl || '_principal_delete', t.tbl, t.scope);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION gongzhi_principal_changed(%L)',
      t.tbl || '_principal_truncate', t.tbl, '*');
  END LOOP;
END;
$$;
