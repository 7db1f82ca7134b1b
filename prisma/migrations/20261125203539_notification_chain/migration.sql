-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "chain" TEXT,
ADD COLUMN     "sequence" BIGSERIAL NOT NULL;

-- CreateIndex
CREATE INDEX "Notification_chain_state_sequence_idx" ON "Notification"("chain", "state", "sequence");
