#include "feed_watch.hpp"

#include <sys/stat.h>

namespace vouch::server {

FeedWatch::FeedWatch(CatalogueStore& store, std::string path, std::function<void(const nlohmann::json&)> log,
                     std::function<void()> imported)
    : store_(store),
      path_(std::move(path)),
      log_(std::move(log)),
      imported_(std::move(imported)),
      worker_(std::nullopt, [this] {
        try {
          import_now();
        } catch (const std::exception& e) {
          log_({{"level", "error"}, {"event", "feed_import_failed"}, {"path", path_}, {"message", e.what()}});
        }
      }) {}

FeedWatch::~FeedWatch() { stop(); }

void FeedWatch::import_now() {
  ImportResult result = import_feed(store_, path_, store_feed_limits());
  if (!result.errors.empty()) {
    log_({{"level", "error"},
          {"event", "feed_reload_rejected"},
          {"path", path_},
          {"message", "the feed is invalid; nothing of it was imported, the stored store is served"},
          {"errors", result.errors}});
    return;
  }
  log_({{"level", "info"}, {"event", "feed_imported"}, {"path", path_}, {"summary", result.summary}});
  if (result.changed() && imported_) imported_();
}

void FeedWatch::poll() {
  auto stamp = file_stamp(path_);
  std::lock_guard lock(mutex_);
  if (!stamp || seen_ == stamp) return;
  if (seen_) worker_.wake();  // the first look only notes the file: the start imported it
  seen_ = stamp;
}

}  // namespace vouch::server
