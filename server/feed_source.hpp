#pragma once
// The feed the server serves and reports on: validated at start, reloaded on
// SIGHUP or when the file's modification time changes, and kept as the last
// good version when a reload is invalid. Moderation decisions from the
// database are applied to the served JSON (ugc[].status).
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

struct FeedSnapshot {
  Feed feed;            // typed, for the engines
  nlohmann::json json;  // as written, for GET /v1/feed
};

struct RenderedFeed {
  std::string body;       // compact JSON with the moderation overrides applied
  std::string gzip_body;  // the same, gzip-compressed once here rather than per request
  std::string etag;       // strong ETag: "sha256 prefix of body"
};

// Parses and validates feed text. On failure returns the errors.
std::shared_ptr<const FeedSnapshot> parse_feed_snapshot(std::string_view text, std::vector<Error>& errors);

class FeedSource {
 public:
  // path is empty for a feed generated in memory (nothing to reload).
  FeedSource(std::string path, std::shared_ptr<const FeedSnapshot> initial);

  std::shared_ptr<const FeedSnapshot> current() const;

  // Reloads when forced (SIGHUP) or when the file changed. Returns the
  // errors of a rejected reload (the previous feed stays); empty otherwise.
  // `reloaded` tells whether a new feed was installed.
  std::vector<Error> reload(bool force, bool& reloaded);

  // The served body for this moderation version, rendered once per
  // (feed, version) pair.
  std::shared_ptr<const RenderedFeed> rendered(
      std::int64_t moderation_version, const std::function<std::vector<ModerationDecision>()>& decisions);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::optional<std::filesystem::file_time_type> mtime_;
  mutable std::mutex mutex_;
  std::shared_ptr<const FeedSnapshot> snapshot_;
  std::shared_ptr<const RenderedFeed> rendered_;
  std::shared_ptr<const FeedSnapshot> rendered_for_;
  std::int64_t rendered_version_ = -1;
};

}  // namespace vouch::server
