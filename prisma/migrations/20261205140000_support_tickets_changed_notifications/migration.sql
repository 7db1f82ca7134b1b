-- The bot keeps each person's latest support ticket (or that they have none) in memory between their free
-- messages (core/support/support.service.ts, keepWhileHeard) and forgets them all whenever anything changes
-- a ticket: every statement on the table, whoever runs it (a ticket opened by the bot or another replica, an
-- agent's close or answer, a rating, the admin API, an erasure, a cascade from a person, TRUNCATE), notifies
-- the channel at commit. A statement-level trigger, as for people, rule sets and credit entries.
CREATE FUNCTION nmo_support_tickets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nmo_support_tickets_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "SupportTicket_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SupportTicket"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_support_tickets_changed();
