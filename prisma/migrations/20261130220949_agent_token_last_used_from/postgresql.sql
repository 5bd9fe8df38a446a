-- AlterTable
ALTER TABLE "AgentToken" ADD COLUMN     "lastUsedAddress" TEXT,
ADD COLUMN     "lastUsedPod" TEXT;

