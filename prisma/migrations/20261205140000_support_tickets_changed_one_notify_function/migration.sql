-- The bot keeps each person's latest support ticket (or that they have none) in memory between their free
-- messages (core/support/support.service.ts, keepWhileHeard) and forgets them all whenever anything changes
-- a ticket: every statement on the table, whoever runs it (a ticket opened by the bot or another replica, an
-- agent's close or answer, a rating, the admin API, an erasure, a cascade from a person, TRUNCATE), notifies
-- the channel at commit. A statement-level trigger, as for people, rule sets and credit entries.
--
-- Those had a function each, the same but for its channel. From here on one function serves every table
-- the bot hears: the channel is the trigger's argument. The earlier triggers are made again on it, and
-- their functions dropped.
CREATE FUNCTION nmo_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_ARGV[0], '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "SupportTicket_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SupportTicket"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_support_tickets_changed');

DROP TRIGGER "Person_changed" ON "Person";
CREATE TRIGGER "Person_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Person"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_people_changed');
DROP TRIGGER "TelegramIdentity_changed" ON "TelegramIdentity";
CREATE TRIGGER "TelegramIdentity_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TelegramIdentity"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_people_changed');
DROP FUNCTION nmo_people_changed();

DROP TRIGGER "RuleSet_changed" ON "RuleSet";
CREATE TRIGGER "RuleSet_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RuleSet"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_rule_sets_changed');
DROP TRIGGER "RuleSetAssignment_changed" ON "RuleSetAssignment";
CREATE TRIGGER "RuleSetAssignment_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RuleSetAssignment"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_rule_sets_changed');
DROP FUNCTION nmo_rule_sets_changed();

DROP TRIGGER "CreditEntry_changed" ON "CreditEntry";
CREATE TRIGGER "CreditEntry_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "CreditEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_notify_changed('nmo_credit_entries_changed');
DROP FUNCTION nmo_credit_entries_changed();
