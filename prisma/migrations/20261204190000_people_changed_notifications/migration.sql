-- The bot keeps the person behind each Telegram user in memory between updates (core/people/cached-people.ts)
-- and forgets them all whenever anything changes a person or an identity: every statement on these tables,
-- whoever runs it (Prisma, raw SQL, a cascade, TRUNCATE, another process), notifies the channel at commit.
-- A statement-level trigger: a bulk import notifies once, and notifications of one transaction fold into one.
CREATE FUNCTION nmo_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('nmo_people_changed', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "Person_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "Person"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_people_changed();

CREATE TRIGGER "TelegramIdentity_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "TelegramIdentity"
  FOR EACH STATEMENT EXECUTE FUNCTION nmo_people_changed();
