#pragma once
// A feed read element by element (the store's own file, imported into its
// database: `vouch import`, `vouch serve --feed`; and load_feed itself), so
// that a reader never holds the whole store. Read by feed_json.cpp's one
// reader; docs/feed.md, "How it is read".
#include <cstddef>
#include <iosfwd>
#include <vector>

#include "feed/feed.hpp"

namespace vouch {

class ByteSource;  // input/json_input.hpp

// A feed handed over element by element: what a store's import reads, a
// 2,000,000-review feed never whole in memory. read_feed_elements() reads by
// the rules of load_feed() and reports the same errors (codes, paths,
// messages, order, max_errors, truncated) on the same bytes: load_feed() is
// read_feed_elements() with a receiver that keeps everything.
// - An element with a fault of its own is not handed over. What was handed
//   over stands only if the result has no errors: the checks across sections
//   (ids used twice, references, codes) and the limits come at the end.
// - store() comes once, before any product() or influencer(): those are held
//   back while the store is still to come (their money is in its currency).
//   Endorsements and UGC are handed over as they are read.
// - Kept meanwhile: one element, the products and influencers held back, and
//   the ids the checks across sections need.
class FeedElements {
 public:
  virtual ~FeedElements() = default;
  virtual void store(const Store& store) = 0;
  virtual void product(Product&& product, std::size_t index) = 0;  // index: in its array
  virtual void influencer(Influencer&& influencer, std::size_t index) = 0;
  virtual void endorsement(Endorsement&& endorsement, std::size_t index) = 0;
  virtual void ugc(Ugc&& ugc, std::size_t index) = 0;
  virtual void document(ProductDocumentFacts&& /*facts*/) {}  // a storefront document's, at the end
};

struct FeedStreamResult {
  std::vector<Error> errors;  // every fault found, up to FeedLimits::max_errors
  bool truncated = false;     // more errors existed than were reported
  bool ok() const { return errors.empty(); }
};

// The bytes are read chunk_bytes at a time.
FeedStreamResult read_feed_elements(ByteSource& in, const FeedLimits& limits, FeedElements& out,
                                    std::size_t chunk_bytes = std::size_t{1} << 16);
// From a stream (feed_stream.cpp, so that the storefront module links no iostreams).
FeedStreamResult read_feed_elements(std::istream& in, const FeedLimits& limits, FeedElements& out,
                                    std::size_t chunk_bytes = std::size_t{1} << 16);

}  // namespace vouch
