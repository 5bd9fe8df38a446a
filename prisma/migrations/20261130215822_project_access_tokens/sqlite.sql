-- CreateTable
CREATE TABLE "ProjectAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "botUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    "revokedAt" DATETIME,
    "revokedById" TEXT,
    CONSTRAINT "ProjectAccessToken_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProjectAccessToken_botUserId_fkey" FOREIGN KEY ("botUserId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ProjectAccessToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ProjectAccessToken_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- AlterTable (written by hand instead of Prisma's table rebuild, see 20261130092308_session_versions: SQLite
-- adds a nullable column with a foreign key in place; a rebuilt "User" would cascade-delete every row that
-- refers to a user)
ALTER TABLE "User" ADD COLUMN "botProjectId" TEXT REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "User_botProjectId_idx" ON "User"("botProjectId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectAccessToken_botUserId_key" ON "ProjectAccessToken"("botUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectAccessToken_tokenHash_key" ON "ProjectAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ProjectAccessToken_projectId_idx" ON "ProjectAccessToken"("projectId");

