-- Written by hand instead of Prisma's table rebuild: migrations run inside a transaction with foreign
-- keys on, where Prisma's "PRAGMA foreign_keys=OFF" does nothing and DROP TABLE "User" would cascade to
-- every project, membership and token. SQLite adds a NOT NULL column with a default in place.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
