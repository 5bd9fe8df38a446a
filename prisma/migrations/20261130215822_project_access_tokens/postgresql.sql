-- AlterTable
ALTER TABLE "User" ADD COLUMN     "botProjectId" TEXT;

-- CreateTable
CREATE TABLE "ProjectAccessToken" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "botUserId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "revokedById" TEXT,

    CONSTRAINT "ProjectAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProjectAccessToken_botUserId_key" ON "ProjectAccessToken"("botUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectAccessToken_tokenHash_key" ON "ProjectAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "ProjectAccessToken_projectId_idx" ON "ProjectAccessToken"("projectId");

-- CreateIndex
CREATE INDEX "User_botProjectId_idx" ON "User"("botProjectId");

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_botProjectId_fkey" FOREIGN KEY ("botProjectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAccessToken" ADD CONSTRAINT "ProjectAccessToken_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAccessToken" ADD CONSTRAINT "ProjectAccessToken_botUserId_fkey" FOREIGN KEY ("botUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAccessToken" ADD CONSTRAINT "ProjectAccessToken_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectAccessToken" ADD CONSTRAINT "ProjectAccessToken_revokedById_fkey" FOREIGN KEY ("revokedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

