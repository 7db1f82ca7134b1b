-- Wrong codes are counted per Telegram user and kind of code (linking, attendance), no longer per person:
-- a /delete_me and a new registration must not reset the count (issue #12, part 6).

-- CreateEnum
CREATE TYPE "WrongCodeKind" AS ENUM ('LINKING', 'ATTENDANCE');

-- CreateTable
CREATE TABLE "WrongCodeAttempt" (
    "id" UUID NOT NULL,
    "telegramUserId" BIGINT NOT NULL,
    "kind" "WrongCodeKind" NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WrongCodeAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WrongCodeAttempt_telegramUserId_kind_at_idx" ON "WrongCodeAttempt"("telegramUserId", "kind", "at");

-- CreateIndex
CREATE INDEX "WrongCodeAttempt_at_idx" ON "WrongCodeAttempt"("at");

-- Tries made in the last day keep throttling, now under the Telegram account that made them.
INSERT INTO "WrongCodeAttempt" ("id", "telegramUserId", "kind", "at")
SELECT a."id", t."telegramUserId", 'ATTENDANCE', a."at"
FROM "AttendanceAttempt" a
JOIN "TelegramIdentity" t ON t."personId" = a."personId"
WHERE a."at" > CURRENT_TIMESTAMP - INTERVAL '1 day'
ON CONFLICT ("id") DO NOTHING;

-- DropForeignKey
ALTER TABLE "AttendanceAttempt" DROP CONSTRAINT "AttendanceAttempt_personId_fkey";

-- DropTable
DROP TABLE "AttendanceAttempt";
