-- CreateTable
CREATE TABLE "ReceptiveUrl" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "agentId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "caCert" TEXT,
    "tlsServerName" TEXT,
    "authMethod" TEXT NOT NULL,
    "publicKey" TEXT,
    "clientCert" TEXT,
    "privateKeyEncrypted" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'connecting',
    "stateMessage" TEXT,
    "stateAt" DATETIME,
    "lastConnectedAt" DATETIME,
    CONSTRAINT "ReceptiveUrl_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ReceptiveUrl_agentId_key" ON "ReceptiveUrl"("agentId");

