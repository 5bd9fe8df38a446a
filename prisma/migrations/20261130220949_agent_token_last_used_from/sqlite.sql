-- AlterTable
ALTER TABLE "AgentToken" ADD COLUMN "lastUsedAddress" TEXT;
ALTER TABLE "AgentToken" ADD COLUMN "lastUsedPod" TEXT;

