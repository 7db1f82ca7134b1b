-- AlterTable
ALTER TABLE "RosterEntry" ADD COLUMN     "role" "OrgRole" NOT NULL DEFAULT 'MEMBER';
