#include "feed_source.hpp"

#include <fstream>
#include <iterator>
#include <map>

#include "crypto.hpp"

namespace vouch::server {

namespace {

std::optional<std::filesystem::file_time_type> modification_time(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  if (ec) return std::nullopt;
  return t;
}

}  // namespace

std::shared_ptr<const FeedSnapshot> parse_feed_snapshot(std::string_view text, std::vector<Error>& errors) {
  FeedLoadResult result = load_feed(text);
  if (!result.ok()) {
    errors = std::move(result.errors);
    return nullptr;
  }
  auto snapshot = std::make_shared<FeedSnapshot>();
  snapshot->feed = std::move(*result.feed);
  // load_feed accepted the text, so it parses.
  snapshot->json = nlohmann::json::parse(text);
  return snapshot;
}

FeedSource::FeedSource(std::string path, std::shared_ptr<const FeedSnapshot> initial)
    : path_(std::move(path)), snapshot_(std::move(initial)) {
  if (!path_.empty()) mtime_ = modification_time(path_);
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
  auto snapshot = parse_feed_snapshot(text, errors);
  if (!snapshot) return errors;
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(snapshot);
  reloaded = true;
  return {};
}

std::shared_ptr<const RenderedFeed> FeedSource::rendered(
    std::int64_t moderation_version, const std::function<std::vector<ModerationDecision>()>& decisions) {
  std::shared_ptr<const FeedSnapshot> snapshot;
  {
    std::lock_guard lock(mutex_);
    if (rendered_ && rendered_for_ == snapshot_ && rendered_version_ == moderation_version)
      return rendered_;
    snapshot = snapshot_;
  }
  std::map<std::string, std::string> status_by_ugc;
  for (const auto& d : decisions()) status_by_ugc[d.ugc] = d.status;
  nlohmann::json json = snapshot->json;
  if (json.contains("ugc") && json["ugc"].is_array())
    for (auto& item : json["ugc"]) {
      auto it = status_by_ugc.find(item.value("id", std::string()));
      if (it != status_by_ugc.end()) item["status"] = it->second;
    }
  auto out = std::make_shared<RenderedFeed>();
  out->body = json.dump();
  out->gzip_body = gzip(out->body);
  out->etag = strong_etag(out->body);
  std::lock_guard lock(mutex_);
  if (snapshot_ == snapshot) {
    rendered_ = out;
    rendered_for_ = snapshot;
    rendered_version_ = moderation_version;
  }
  return out;
}

}  // namespace vouch::server
