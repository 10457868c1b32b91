#pragma once
// A feed read element by element (the store's own file, imported into its
// database: `vouch import`, `vouch serve --feed`): each store, product,
// influencer, endorsement and UGC item is handed over as soon as it is read,
// so that a reader never holds the whole store.
//
// The faults are those load_feed finds on the same bytes (codes, paths,
// messages, order, max_errors): the checks across sections (ids used twice,
// references, codes) come at the end, so what was handed over is provisional
// until the result says the feed is valid.
#include <cstddef>
#include <istream>
#include <vector>

#include "feed/feed.hpp"

namespace vouch {

class FeedElements {
 public:
  virtual ~FeedElements() = default;
  virtual void store(const Store& store) = 0;
  // `index`: the element's position in its array.
  virtual void product(Product&& product, std::size_t index) = 0;
  virtual void influencer(Influencer&& influencer, std::size_t index) = 0;
  virtual void endorsement(Endorsement&& endorsement, std::size_t index) = 0;
  virtual void ugc(Ugc&& item, std::size_t index) = 0;
};

struct FeedStreamResult {
  std::vector<Error> errors;  // empty: the feed is valid
  bool truncated = false;     // more errors existed than were reported
  bool ok() const { return errors.empty(); }
};

FeedStreamResult read_feed_elements(std::istream& in, const FeedLimits& limits, FeedElements& out);

}  // namespace vouch
