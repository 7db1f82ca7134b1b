-- Re-evaluation (the nightly sweep above all) reads a person's entries from this index alone; the
-- (personId, occurredOn) prefix still serves the history's order. Building it takes about 5 s per
-- 5 million entries, during which entries cannot be written.

-- DropIndex
DROP INDEX "CreditEntry_personId_occurredOn_idx";

-- CreateIndex
CREATE INDEX "CreditEntry_evaluation_idx" ON "CreditEntry"("personId", "occurredOn", "deletedAt", "verification", "quantity", "id", "creditTypeCode");
