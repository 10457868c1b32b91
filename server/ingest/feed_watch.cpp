#include "feed_watch.hpp"

#include <sys/stat.h>

namespace vouch::server {

FeedWatch::FeedWatch(CatalogueStore& store, std::string path, std::function<void(const nlohmann::json&)> log,
                     std::function<void()> imported)
    : store_(store), path_(std::move(path)), log_(std::move(log)), imported_(std::move(imported)) {}

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

void FeedWatch::start() {
  thread_ = std::thread([this] { run(); });
}

void FeedWatch::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FeedWatch::force() {
  {
    std::lock_guard lock(mutex_);
    due_ = true;
  }
  wake_.notify_all();
}

void FeedWatch::poll() {
  auto stamp = file_stamp(path_);
  std::lock_guard lock(mutex_);
  if (!stamp || seen_ == stamp) return;
  if (seen_) due_ = true;  // the first look only notes the file: the start imported it
  seen_ = stamp;
  wake_.notify_all();
}

// An import when one is due; one at a time.
void FeedWatch::run() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
    }
    try {
      import_now();
    } catch (const std::exception& e) {
      log_({{"level", "error"}, {"event", "feed_import_failed"}, {"path", path_}, {"message", e.what()}});
    }
  }
}

}  // namespace vouch::server
