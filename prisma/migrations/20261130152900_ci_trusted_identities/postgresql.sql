-- AlterTable
ALTER TABLE "CiJobToken" ADD COLUMN     "ciIdentityId" TEXT,
ADD COLUMN     "impersonationExtra" TEXT NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "CiTrustedIdentity" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "conditions" TEXT NOT NULL DEFAULT '{}',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CiTrustedIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CiTrustedIdentity_issuer_idx" ON "CiTrustedIdentity"("issuer");

-- CreateIndex
CREATE UNIQUE INDEX "CiTrustedIdentity_projectId_name_key" ON "CiTrustedIdentity"("projectId", "name");

-- AddForeignKey
ALTER TABLE "CiTrustedIdentity" ADD CONSTRAINT "CiTrustedIdentity_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CiTrustedIdentity" ADD CONSTRAINT "CiTrustedIdentity_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

