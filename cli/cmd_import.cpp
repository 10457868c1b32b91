#include <filesystem>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "feed_import.hpp"

namespace vouch::cli {

// vouch import FEED [--db FILE]
// Imports a feed file into the store's database (docs/server.md, "Import"):
// new and changed elements written, those the file no longer has retired.
// Prints the summary (JSON); an invalid feed prints its errors, writes
// nothing and exits 1.
int run_import(const Argv& argv) {
  Args args(argv, {"db"}, {});
  if (args.positional().size() != 1) throw UsageError("expects exactly one FEED (a file or -)");
  std::string db_path = args.get("db").value_or("var/vouch.db");
  std::error_code ec;
  if (auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty())
    std::filesystem::create_directories(parent, ec);
  std::unique_ptr<server::Store> store;
  try {
    store = server::open_store(db_path);
  } catch (const server::StoreError& e) {
    print_errors({{e.code, "", e.what()}});
    return 1;
  }
  server::ImportResult result = server::import_feed(*store, args.positional()[0], store_feed_limits());
  if (!result.errors.empty()) {
    print_errors(result.errors);
    if (result.truncated) std::cerr << "(more errors not shown)\n";
    std::cerr << "vouch import: the feed is not valid; nothing was imported\n";
    return 1;
  }
  std::cout << result.summary.dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
