-- AlterTable
ALTER TABLE "Appeal" ADD COLUMN     "dueFallbackYear" INTEGER;

-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "appealWindowEndsAt" TIMESTAMP(3),
ADD COLUMN     "appealWindowFallbackYear" INTEGER,
ADD COLUMN     "dueFallbackYear" INTEGER;

-- Dates counted before this release over a year with no calendar used weekends only (1–8 January 2027
-- were working days): mark them with that year so they are shown as provisional and recomputed, the
-- person told if theirs moves, when the year is loaded. This release ships 2023–2026; a later year is
-- known only if an admin loaded it (CalendarYear). The first day counted is the day after the event,
-- Moscow time; timestamps are stored in UTC.
UPDATE "Dispute" AS d
SET "dueFallbackYear" = (
  SELECT MIN(y)::int
  FROM generate_series(
    GREATEST(2027, EXTRACT(YEAR FROM ((d."filedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Moscow') + INTERVAL '1 day')::int),
    EXTRACT(YEAR FROM (d."dueAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Moscow')::int
  ) AS y
  WHERE y NOT IN (SELECT "year" FROM "CalendarYear")
);

UPDATE "Appeal" AS a
SET "dueFallbackYear" = (
  SELECT MIN(y)::int
  FROM generate_series(
    GREATEST(2027, EXTRACT(YEAR FROM ((a."filedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Moscow') + INTERVAL '1 day')::int),
    EXTRACT(YEAR FROM (a."dueAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Moscow')::int
  ) AS y
  WHERE y NOT IN (SELECT "year" FROM "CalendarYear")
);
