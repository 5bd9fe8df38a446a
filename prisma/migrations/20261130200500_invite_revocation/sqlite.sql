-- AlterTable
ALTER TABLE "SignUpInvite" ADD COLUMN "revokedAt" DATETIME;
ALTER TABLE "SignUpInvite" ADD COLUMN "revokedById" TEXT;
