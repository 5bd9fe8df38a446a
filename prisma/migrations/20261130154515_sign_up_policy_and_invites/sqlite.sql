-- CreateTable
CREATE TABLE "InstanceSetting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SignUpInvite" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "usedById" TEXT
);

-- Written by hand instead of Prisma's table rebuild (DROP TABLE "User" would cascade to every
-- project, membership and token inside the migration transaction): SQLite adds a NOT NULL column with a
-- default in place.
ALTER TABLE "User" ADD COLUMN "pendingApproval" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "SignUpInvite_tokenHash_key" ON "SignUpInvite"("tokenHash");

-- CreateIndex
CREATE INDEX "SignUpInvite_expiresAt_idx" ON "SignUpInvite"("expiresAt");

