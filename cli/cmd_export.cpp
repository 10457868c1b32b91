#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "social_proof/documents.hpp"
#include "database_documents.hpp"
#include "storefront_documents.hpp"

namespace vouch::cli {

namespace fs = std::filesystem;

// vouch export (--feed FEED | --db FILE) --out DIR [--now RFC3339] [--threads N]
// Writes the public documents `vouch serve` publishes under /v1/ as files
// under DIR/v1/, for a store served by any static host (docs/server.md):
// from a feed file, or from the store's database (every UGC item, shoppers'
// reviews included, as shown: the owner's decisions, the helpful votes).
// The new tree is written beside the old one and renamed over it, so a host
// serving DIR never sees half an export.
int run_export(const Argv& argv) {
  Args args(argv, {"feed", "db", "out", "now", "threads"}, {});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  if (args.get("feed").has_value() == args.get("db").has_value()) throw UsageError("give --feed FEED or --db FILE");
  const fs::path out = args.require("out");
  const Timestamp as_of = document_day(args.now());
  const auto threads = static_cast<std::size_t>(args.integer("threads", 2, 1, 64));
  std::optional<Feed> feed;
  std::unique_ptr<server::Store> store;
  if (auto feed_path = args.get("feed")) {
    feed = load_feed_or_report(*feed_path);
    if (!feed) return 1;
  } else {
    try {
      store = server::open_store(*args.get("db"));
    } catch (const server::StoreError& e) {
      print_errors({{e.code, "", e.what()}});
      return 1;
    }
  }

  const std::string tag = std::to_string(::getpid());
  const fs::path fresh = out / (".v1-new-" + tag), old = out / (".v1-old-" + tag), target = out / "v1";
  std::error_code ec;
  fs::create_directories(fresh / "products", ec);
  fs::create_directories(fresh / "badges", ec);
  if (ec) throw VouchException({"export.unwritable", "", "cannot create " + fresh.string() + ": " + ec.message()});
  std::mutex failure_mutex;
  std::string failure;
  auto write = [&](const std::string& path, std::string body) {
    std::error_code made;
    fs::create_directories((fresh / path).parent_path(), made);  // products/NAME/ for reviews.json
    std::ofstream file(fresh / path, std::ios::binary | std::ios::trunc);
    file.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!file) {
      std::lock_guard lock(failure_mutex);
      failure = "cannot write " + (fresh / path).string();
    }
  };
  auto stats = feed ? server::build_storefront_documents(*feed, as_of, threads, write)
                    : server::build_database_documents(*store, as_of, threads, write);
  if (!failure.empty()) {
    fs::remove_all(fresh, ec);
    throw VouchException({"export.unwritable", "", failure});
  }
  bool had_old = fs::exists(target, ec);
  if (had_old) fs::rename(target, old);
  fs::rename(fresh, target);
  if (had_old) fs::remove_all(old, ec);

  nlohmann::json summary = {
      {"out", target.string()},
      {"as_of", format_rfc3339(as_of)},
      {"products", stats.products},
      {"documents", stats.documents},
      {"candidates", stats.total_items},
      {"reviews_candidates", stats.total_reviews_items},
      {"largest_reviews", {{"bytes", stats.largest_reviews_bytes}, {"items", stats.largest_reviews_items}}},
      {"queries", stats.queries},
      {"bytes", stats.total_bytes},
      {"largest", {{"product", stats.largest_product}, {"bytes", stats.largest_bytes}, {"items", stats.largest_items}}},
      {"seconds", std::round(stats.seconds * 1000) / 1000}};
  std::cout << summary.dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
