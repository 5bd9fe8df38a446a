-- CreateTable
CREATE TABLE "ReceptiveUrl" (
    "id" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "caCert" TEXT,
    "tlsServerName" TEXT,
    "authMethod" TEXT NOT NULL,
    "publicKey" TEXT,
    "clientCert" TEXT,
    "privateKeyEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'connecting',
    "stateMessage" TEXT,
    "stateAt" TIMESTAMP(3),
    "lastConnectedAt" TIMESTAMP(3),

    CONSTRAINT "ReceptiveUrl_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReceptiveUrl_agentId_key" ON "ReceptiveUrl"("agentId");

-- AddForeignKey
ALTER TABLE "ReceptiveUrl" ADD CONSTRAINT "ReceptiveUrl_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

