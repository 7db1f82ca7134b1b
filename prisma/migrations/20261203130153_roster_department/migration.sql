-- AlterTable
ALTER TABLE "RosterEntry" ADD COLUMN     "department" TEXT;
