// read_feed_elements from a std::istream (a file, a request body), in its own
// unit so that what does not read streams (the storefront module) links no
// iostreams.
#include <istream>

#include "feed/feed_stream.hpp"
#include "input/json_input.hpp"

namespace vouch {

namespace {

class StreamSource : public ByteSource {
 public:
  explicit StreamSource(std::istream& in) : in_(in) {}
  std::size_t read(char* out, std::size_t max) override {
    in_.read(out, static_cast<std::streamsize>(max));
    return static_cast<std::size_t>(in_.gcount());
  }

 private:
  std::istream& in_;
};

}  // namespace

FeedStreamResult read_feed_elements(std::istream& in, const FeedLimits& limits, FeedElements& out,
                                    std::size_t chunk_bytes) {
  StreamSource source(in);
  return read_feed_elements(source, limits, out, chunk_bytes);
}

}  // namespace vouch
