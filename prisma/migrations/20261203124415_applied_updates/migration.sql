-- CreateTable
CREATE TABLE "AppliedUpdate" (
    "updateKey" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppliedUpdate_pkey" PRIMARY KEY ("updateKey","step")
);

-- CreateIndex
CREATE INDEX "AppliedUpdate_appliedAt_idx" ON "AppliedUpdate"("appliedAt");
