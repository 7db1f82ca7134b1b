-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "sendingBy" TEXT,
ADD COLUMN     "sendingSince" TIMESTAMP(3),
ADD COLUMN     "telegramChatId" BIGINT,
ADD COLUMN     "telegramMessageId" INTEGER,
ADD COLUMN     "uncertainResends" INTEGER NOT NULL DEFAULT 0;
