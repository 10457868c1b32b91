#pragma once
// The PostgreSQL back end (libpq, Debian libpq-dev): a pool of connections
// shared by the server's threads; several `vouch serve` instances on one
// database. docs/server.md, "Storage" and "Scale-out".
#include <memory>
#include <string>

#include "sql.hpp"

namespace vouch::server {

// postgres://… or postgresql://…
bool is_postgres_url(const std::string& location);
// The URL with its password, if any, written *** (for logs and messages).
std::string without_password(const std::string& url);

// Connects `pool_size` connections (a failure names the URL without its
// password). Throws StoreError.
std::unique_ptr<SqlDatabase> open_postgres(const std::string& url, int pool_size);

}  // namespace vouch::server
