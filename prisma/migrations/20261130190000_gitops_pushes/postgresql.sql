-- CreateTable
CREATE TABLE "RepositoryWebhook" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "secretEncrypted" TEXT NOT NULL,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3),
    "lastDeliveryAt" TIMESTAMP(3),

    CONSTRAINT "RepositoryWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitPush" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "forge" TEXT NOT NULL,
    "repositoryUrls" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "afterCommit" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GitPush_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GitPushOutcome" (
    "pushId" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "objects" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GitPushOutcome_pkey" PRIMARY KEY ("pushId","agentId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RepositoryWebhook_projectId_key" ON "RepositoryWebhook"("projectId");

-- CreateIndex
CREATE INDEX "GitPush_projectId_createdAt_idx" ON "GitPush"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GitPush_projectId_deliveryId_key" ON "GitPush"("projectId", "deliveryId");

-- CreateIndex
CREATE INDEX "GitPushOutcome_agentId_state_idx" ON "GitPushOutcome"("agentId", "state");

-- AddForeignKey
ALTER TABLE "RepositoryWebhook" ADD CONSTRAINT "RepositoryWebhook_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitPush" ADD CONSTRAINT "GitPush_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitPushOutcome" ADD CONSTRAINT "GitPushOutcome_pushId_fkey" FOREIGN KEY ("pushId") REFERENCES "GitPush"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GitPushOutcome" ADD CONSTRAINT "GitPushOutcome_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
