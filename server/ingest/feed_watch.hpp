#pragma once
// `vouch serve --feed FEED`: the feed file imported into the database
// whenever it changes (its modification time or size, polled every second,
// or SIGHUP) after the start, on a thread of its own, so that the stored
// documents are served all along. A rejected file is logged and changes
// nothing.
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "feed_import.hpp"
#include "worker.hpp"

namespace vouch::server {

class FeedWatch {
 public:
  // `imported` is called after an import that wrote anything.
  FeedWatch(CatalogueStore& store, std::string path, std::function<void(const nlohmann::json&)> log,
            std::function<void()> imported);
  ~FeedWatch();

  void start() { worker_.start(); }
  void stop() { worker_.stop(); }
  // SIGHUP: import even if the file looks unchanged.
  void force() { worker_.wake(); }
  // Polled every second: imports when the file changed.
  void poll();

 private:
  CatalogueStore& store_;
  std::string path_;
  std::function<void(const nlohmann::json&)> log_;
  std::function<void()> imported_;
  std::mutex mutex_;  // seen_
  std::optional<FileStamp> seen_;
  Worker worker_;  // one import at a time

  void import_now();
};

}  // namespace vouch::server
