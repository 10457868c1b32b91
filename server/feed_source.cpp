#include "feed_source.hpp"

#include <malloc.h>

#include <fstream>
#include <iterator>
#include <unordered_map>

namespace vouch::server {

namespace {

std::optional<std::filesystem::file_time_type> modification_time(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return t;
}

std::optional<UgcStatus> status_named(const std::string& name) {
  if (name == "published") return UgcStatus::Published;
  if (name == "pending") return UgcStatus::Pending;
  if (name == "rejected") return UgcStatus::Rejected;
  return std::nullopt;
}

void apply_decisions(Feed& feed, const std::vector<ModerationDecision>& decisions) {
  std::unordered_map<std::string_view, UgcStatus> by_id;
  for (const auto& d : decisions)
    if (auto status = status_named(d.status)) by_id[d.ugc] = *status;
  if (by_id.empty()) return;
  for (Ugc& u : feed.ugc)
    if (auto it = by_id.find(u.id); it != by_id.end()) u.status = it->second;
}

}  // namespace

std::shared_ptr<const FeedSnapshot> parse_feed_snapshot(std::string_view text, std::vector<Error>& errors) {
  FeedLoadResult result = load_feed(text, store_feed_limits());
  if (!result.ok()) {
    errors = std::move(result.errors);
    return nullptr;
  }
  auto snapshot = std::make_shared<FeedSnapshot>();
  snapshot->feed = std::move(*result.feed);
  snapshot->file_ugc = snapshot->feed.ugc.size();
  result = FeedLoadResult();
  // The JSON tree the loader parsed is freed by now (several times the
  // feed's size); give that memory back to the system rather than keep it
  // resident for the server's lifetime (glibc keeps freed heap otherwise).
  malloc_trim(0);
  return snapshot;
}

FeedSource::FeedSource(std::string path, std::shared_ptr<const FeedSnapshot> initial)
    : path_(std::move(path)), snapshot_(std::move(initial)) {
  if (!path_.empty()) mtime_ = modification_time(path_);
}

void FeedSource::set_moderation(std::function<std::int64_t()> version,
                                std::function<std::vector<ModerationDecision>()> decisions,
                                std::function<std::vector<Ugc>()> submitted_reviews) {
  moderation_version_ = std::move(version);
  moderation_decisions_ = std::move(decisions);
  submitted_reviews_ = std::move(submitted_reviews);
}

void FeedSource::compose(FeedSnapshot& snapshot) {
  snapshot.moderation_version = moderation_version_();
  snapshot.feed.ugc.resize(snapshot.file_ugc);
  if (submitted_reviews_) {
    // A review of a product the feed no longer has stays stored, unshown.
    for (Ugc& u : submitted_reviews_())
      if (snapshot.feed.find_product(u.product)) snapshot.feed.ugc.push_back(std::move(u));
  }
  apply_decisions(snapshot.feed, moderation_decisions_());
}

std::shared_ptr<const FeedSnapshot> FeedSource::current() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::vector<Error> FeedSource::reload(bool force, bool& reloaded) {
  reloaded = false;
  if (path_.empty()) return {};
  auto mtime = modification_time(path_);
  {
    std::lock_guard lock(mutex_);
    if (!force && mtime == mtime_) return {};
    mtime_ = mtime;  // a bad file is reported once, not at every poll
  }
  std::ifstream in(path_, std::ios::binary);
  if (!in) return {{"feed.unreadable", "", "cannot read " + path_}};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Error> errors;
  auto parsed = parse_feed_snapshot(text, errors);
  if (!parsed) return errors;
  text = std::string();
  // Not shared yet: the decisions go straight into it.
  auto snapshot = std::const_pointer_cast<FeedSnapshot>(parsed);
  snapshot->generation = ++generations_;
  if (moderation_version_) {
    std::lock_guard one(moderating_);
    compose(*snapshot);
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(snapshot);
  reloaded = true;
  return {};
}

bool FeedSource::refresh_moderation() {
  if (!moderation_version_) return false;
  std::lock_guard one(moderating_);
  std::int64_t version = moderation_version_();
  auto from = current();
  if (from->moderation_version == version) return false;
  auto next = std::make_shared<FeedSnapshot>(*from);  // readers keep the old one meanwhile
  compose(*next);
  std::lock_guard lock(mutex_);
  if (snapshot_ == from) snapshot_ = std::move(next);
  return true;
}

}  // namespace vouch::server
