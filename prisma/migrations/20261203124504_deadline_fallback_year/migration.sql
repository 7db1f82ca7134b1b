-- AlterTable
ALTER TABLE "Appeal" ADD COLUMN     "dueFallbackYear" INTEGER;

-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "appealWindowEndsAt" TIMESTAMP(3),
ADD COLUMN     "appealWindowFallbackYear" INTEGER,
ADD COLUMN     "dueFallbackYear" INTEGER;
