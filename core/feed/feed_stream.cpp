// Interim: the feed read whole by load_feed, then handed over element by
// element. The streaming reader (issue 32) replaces this file; its callers
// do not change.
#include "feed/feed_stream.hpp"

#include <iterator>
#include <string>

namespace vouch {

FeedStreamResult read_feed_elements(std::istream& in, const FeedLimits& limits, FeedElements& out) {
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FeedLoadResult loaded = load_feed(text, limits);
  text = std::string();
  FeedStreamResult result;
  result.truncated = loaded.truncated;
  if (!loaded.ok()) {
    result.errors = std::move(loaded.errors);
    return result;
  }
  Feed& feed = *loaded.feed;
  out.store(feed.store);
  for (std::size_t i = 0; i < feed.products.size(); ++i) out.product(std::move(feed.products[i]), i);
  for (std::size_t i = 0; i < feed.influencers.size(); ++i) out.influencer(std::move(feed.influencers[i]), i);
  for (std::size_t i = 0; i < feed.endorsements.size(); ++i) out.endorsement(std::move(feed.endorsements[i]), i);
  for (std::size_t i = 0; i < feed.ugc.size(); ++i) out.ugc(std::move(feed.ugc[i]), i);
  return result;
}

}  // namespace vouch
