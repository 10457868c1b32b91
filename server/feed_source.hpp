#pragma once
// The feed the server serves and reports on: validated at start, reloaded on
// SIGHUP or when the file's modification time changes, and kept as the last
// good version when a reload is invalid. The reviews shoppers wrote (stored
// in the database, never in the file) are appended to its UGC, and the
// moderation decisions are applied to it (ugc[].status), so that everything
// the server builds from it (the public documents, the pages, the moderation
// queue) sees them with the statuses the store owner decided.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

// Only the typed feed is kept: the JSON tree of a 91 MB feed was ~0.5 GB.
struct FeedSnapshot {
  Feed feed;                            // the file's, then the stored reviews; moderation applied
  std::size_t file_ugc = 0;             // feed.ugc[0, file_ugc) are the file's items
  std::int64_t moderation_version = -1;  // of the decisions applied; -1: none yet
  // Which load of the file this is: a moderation decision makes a copy with
  // other statuses and the same generation; a reload, a new generation.
  std::uint64_t generation = 0;
};

// Parses and validates feed text. On failure returns the errors.
std::shared_ptr<const FeedSnapshot> parse_feed_snapshot(std::string_view text, std::vector<Error>& errors);

class FeedSource {
 public:
  // path is empty for a feed generated in memory (nothing to reload).
  FeedSource(std::string path, std::shared_ptr<const FeedSnapshot> initial);

  // Where the moderation decisions and the submitted reviews come from (the
  // database); until set, the feed's own items and statuses stand. The
  // version changes with every decision and every new review.
  void set_moderation(std::function<std::int64_t()> version,
                      std::function<std::vector<ModerationDecision>()> decisions,
                      std::function<std::vector<Ugc>()> submitted_reviews = {});

  std::shared_ptr<const FeedSnapshot> current() const;

  // Reloads when forced (SIGHUP) or when the file changed. Returns the
  // errors of a rejected reload (the previous feed stays); empty otherwise.
  // `reloaded` tells whether a new feed was installed.
  std::vector<Error> reload(bool force, bool& reloaded);

  // Applies the decisions and the submitted reviews when the database's
  // moderation version is not the current feed's (a copy of the feed with
  // them replaces it).
  // Returns whether it did. May throw StoreError.
  bool refresh_moderation();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::optional<std::filesystem::file_time_type> mtime_;
  mutable std::mutex mutex_;
  std::mutex moderating_;  // one refresh at a time
  std::shared_ptr<const FeedSnapshot> snapshot_;
  std::uint64_t generations_ = 0;
  std::function<std::int64_t()> moderation_version_;
  std::function<std::vector<ModerationDecision>()> moderation_decisions_;
  std::function<std::vector<Ugc>()> submitted_reviews_;

  // The file's items, then the stored reviews (appended in the order they
  // were stored, so a file item's position never moves: the document
  // builder's candidate cache keys on positions), then the decisions.
  void compose(FeedSnapshot& snapshot);
};

}  // namespace vouch::server
