-- Written by hand instead of Prisma's table rebuild (see 20261130092308_session_versions): SQLite adds a
-- nullable column with a foreign key in place, and keeps every token row.
ALTER TABLE "AgentToken" ADD COLUMN "revokedById" TEXT REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
