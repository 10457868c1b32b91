#pragma once
// The store's schema, as numbered migrations for each back end (schema.cpp).
// A `schema_version` table holds the versions a database has: a missing one
// is applied at start, under a lock so that instances starting together
// migrate it once; a newer one (written by a later vouch) is refused with
// store.schema_too_new, since this program cannot know what it would break.
#include "sql.hpp"

namespace vouch::server {

// The version this program writes.
int latest_schema_version();

// Brings the database to latest_schema_version(). Throws StoreError
// (code store.schema_too_new for a newer database).
void migrate_schema(SqlDatabase& db);

}  // namespace vouch::server
