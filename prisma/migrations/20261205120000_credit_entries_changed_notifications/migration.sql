-- The bot keeps each person's credit entries in memory between presses (core/credits/credits.service.ts,
-- keepWhileHeard) and forgets them all whenever anything changes an entry: every statement on the table,
-- whoever runs it (the bot's /add, a document or dispute decided in the admin API, the worker's imports,
-- an erasure, a cascade from a person, TRUNCATE, another process), notifies the channel at commit. A
-- statement-level trigger, as for people (20261204190000) and rule sets (20261205090000).
CREATE FUNCTION nmo_credit_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nmo_credit_entries_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "CreditEntry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CreditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_credit_entries_changed();
