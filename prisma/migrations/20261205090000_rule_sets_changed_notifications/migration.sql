-- The bot keeps each person's rule set in memory (core/rules/rule-set.repository.ts, keepWhileHeard) and
-- forgets them all whenever anything changes a rule set or an assignment: every statement on these tables,
-- whoever runs it (the admin API, the seed, a cascade from an organization, TRUNCATE, another process),
-- notifies the channel at commit. A statement-level trigger, as for people (20261204190000).
CREATE FUNCTION nmo_rule_sets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nmo_rule_sets_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "RuleSet_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RuleSet"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_rule_sets_changed();

CREATE TRIGGER "RuleSetAssignment_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "RuleSetAssignment"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_rule_sets_changed();
