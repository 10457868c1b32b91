#pragma once
// The SQLite back end (the embedded default): one file in WAL mode,
// synchronous=FULL, one writer connection and four reader connections.
// Several `vouch serve` processes may share the file (BEGIN IMMEDIATE + a
// busy timeout); docs/server.md, "Storage".
#include <memory>
#include <string>

#include "sql.hpp"

namespace vouch::server {

// Opens (creating when needed) the file; the schema is the caller's
// (schema.hpp). Throws StoreError.
std::unique_ptr<SqlDatabase> open_sqlite(const std::string& path, const StoreOptions& options);

}  // namespace vouch::server
