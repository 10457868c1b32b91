#pragma once
// Photos shoppers attach to their reviews (docs/server.md, "Review photos"):
// checked by their content (JPEG, PNG or WebP magic bytes, agreed by
// libvips' own loader), refused beyond 10 MB or 40 megapixels before any
// pixel is decoded (a decompression bomb is a huge image in a small file),
// decoded in full (a truncated or corrupt file is refused), then re-encoded
// by libvips as WebP at two bounded sizes with no metadata at all (EXIF,
// GPS, XMP, ICC comments): what a shop serves is only ever pixels the
// server wrote itself, so a polyglot (a JPEG carrying a PHP payload)
// leaves its payload behind.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace vouch::server {

struct PhotoLimits {
  std::size_t max_bytes = 10u << 20;        // 10 MiB as uploaded
  std::int64_t max_pixels = 40'000'000;     // width x height, read from the header before decoding
  int large = 1600;                         // the shown photo fits in large x large
  int thumb = 400;                          // its thumbnail fits in thumb x thumb
};

struct ProcessedPhoto {
  std::string hash;        // 32 hex digits of SHA-256 of `large`: the photo's name
  std::string large;       // WebP bytes
  std::string thumb;       // WebP bytes
  int width = 0, height = 0;  // of `large`
};

// Starts libvips once per process (vips_init), at the first photo. False
// when it cannot start.
bool start_photo_library();
// Shuts libvips down if it was started (vips_shutdown), when the server stops.
void stop_photo_library();

// The photo, or the error: photo.too_large, photo.unsupported_type,
// photo.too_many_pixels, photo.unreadable (truncated, corrupt, or the
// content is not the type its first bytes claim).
std::optional<ProcessedPhoto> process_photo(std::string_view bytes, const PhotoLimits& limits, Error& error);

// A photo file name as served: 32 hex digits, optionally "-thumb", then ".webp".
bool is_photo_file_name(std::string_view name);

}  // namespace vouch::server
