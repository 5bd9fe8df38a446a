-- AlterTable
ALTER TABLE "SignUpInvite" ADD COLUMN     "revokedAt" TIMESTAMP(3),
ADD COLUMN     "revokedById" TEXT;
