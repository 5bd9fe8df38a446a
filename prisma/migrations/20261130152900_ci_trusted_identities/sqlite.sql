-- CreateTable
CREATE TABLE "CiTrustedIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "conditions" TEXT NOT NULL DEFAULT '{}',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CiTrustedIdentity_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CiTrustedIdentity_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- AlterTable (written by hand: ADD COLUMN, never a table copy, which would cascade-delete child rows)
ALTER TABLE "CiJobToken" ADD COLUMN "ciIdentityId" TEXT;
ALTER TABLE "CiJobToken" ADD COLUMN "impersonationExtra" TEXT NOT NULL DEFAULT '{}';

-- CreateIndex
CREATE INDEX "CiTrustedIdentity_issuer_idx" ON "CiTrustedIdentity"("issuer");

-- CreateIndex
CREATE UNIQUE INDEX "CiTrustedIdentity_projectId_name_key" ON "CiTrustedIdentity"("projectId", "name");

