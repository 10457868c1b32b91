#pragma once
// What the store's tests share: a database (temp_database.hpp) with a folder
// for files beside it, and a small feed to import into it.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "temp_database.hpp"

namespace vouch::server::testing {

namespace fs = std::filesystem;
using nlohmann::json;

struct TempFolder : TempDatabase {
  std::string db() const { return path(); }
  bool postgres() const {
    const char* cluster = std::getenv("VOUCH_TEST_PG");
    return cluster && *cluster;
  }
  std::string write(const std::string& name, const json& feed) const {
    std::string file = (dir / name).string();
    std::ofstream(file) << feed.dump();
    return file;
  }
};

// Runs SQL on the database at `location` behind the store's back.
inline void raw_sql(const std::string& location, const std::string& sql) {
  if (location.rfind("postgres", 0) == 0) {
    std::string command = "psql '" + location + "' -q -c \"" + sql + "\"";
    REQUIRE(std::system(command.c_str()) == 0);
    return;
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(location.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  REQUIRE(message == "");
  REQUIRE(rc == SQLITE_OK);
}

inline json item(const std::string& id, const std::string& product, json rating, const std::string& status,
                 const std::string& body = "Solid and comfortable on long trails.") {
  return {{"id", id},       {"product", product}, {"kind", "review"},
          {"author", {{"name", "Dana K."}, {"verified_buyer", true}, {"influencer", nullptr}}},
          {"rating", rating}, {"title", "Good"}, {"body", body}, {"media", json::array()},
          {"at", "2026-10-02T17:00:00Z"}, {"helpful", 2}, {"unhelpful", 0}, {"locale", "en"}, {"status", status}};
}

inline json product(const std::string& id) {
  return {{"id", id}, {"title", "Boot " + id}, {"url", "/p/" + id}, {"image", "https://cdn.example/" + id + ".jpg"},
          {"price", 129.0}, {"currency", "USD"}, {"category", "footwear"}, {"tags", {"hiking"}}};
}

// Two products; five reviews: ratings 5, 4 and 2 published, 3 pending, 1 rejected.
inline json feed() {
  return {{"version", 1},
          {"store", {{"id", "demo"}, {"name", "Trail & Co"}, {"currency", "USD"}, {"locale", "en-US"}}},
          {"products", {product("sku-1"), product("sku-2")}},
          {"influencers", json::array()},
          {"endorsements", json::array()},
          {"ugc",
           {item("r-1", "sku-1", 5, "published"), item("r-2", "sku-1", 4, "published"),
            item("r-3", "sku-2", 2, "published"), item("r-4", "sku-2", 3, "pending"),
            item("r-5", "sku-2", 1, "rejected")}}};
}

}  // namespace vouch::server::testing
