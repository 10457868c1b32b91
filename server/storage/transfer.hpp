#pragma once
// `vouch migrate --from A --to B`: copies every row of one store into a new,
// empty one, SQLite to PostgreSQL or back (docs/server.md, "Moving a store").
#include <string>

#include <nlohmann/json.hpp>

namespace vouch::server {

// Both are brought to this vouch's schema first. Returns the rows copied per
// table. Throws StoreError (migrate.destination_not_empty when B holds rows).
nlohmann::json transfer_database(const std::string& from, const std::string& to);

}  // namespace vouch::server
