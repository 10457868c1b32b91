#pragma once
// A database for the store's unit tests: a file in a fresh temporary folder,
// or, with VOUCH_TEST_PG (scripts/pg-scratch.sh), a new database in that
// cluster. Removed at the end (the cluster is thrown away with its databases).
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

struct TempDatabase {
  std::filesystem::path dir;
  TempDatabase() {
    std::string pattern = (std::filesystem::temp_directory_path() / "vouch-store-XXXXXX").string();
    dir = mkdtemp(pattern.data());
  }
  ~TempDatabase() { std::filesystem::remove_all(dir); }
  std::string path() const { return (dir / "vouch.db").string(); }
  // The same on the back end under test: with VOUCH_TEST_PG (scripts/pg-scratch.sh),
  // a new database in that cluster; else the file.
  std::string location() const {
    const char* cluster = std::getenv("VOUCH_TEST_PG");
    if (!cluster || !*cluster) return path();
    std::string url = cluster, name = "store_" + dir.filename().string().substr(12);
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string command = "psql '" + url + "' -q -c 'CREATE DATABASE " + name + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    return url.substr(0, url.rfind('/') + 1) + name;
  }
};
