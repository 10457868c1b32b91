#include "photos.hpp"

#include <vips/vips.h>

#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include "crypto.hpp"

namespace vouch::server {

namespace {

enum class PhotoType { Jpeg, Png, Webp };

// By the first bytes only: the name and the declared type say nothing.
std::optional<PhotoType> sniff(std::string_view b) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return b.size() >= at + magic.size() && b.compare(at, magic.size(), magic) == 0;
  };
  if (starts("\xFF\xD8\xFF")) return PhotoType::Jpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return PhotoType::Png;
  if (starts("RIFF") && starts("WEBP", 8)) return PhotoType::Webp;
  return std::nullopt;
}

// The loader libvips itself would pick must be the sniffed type's.
bool loader_agrees(std::string_view bytes, PhotoType type) {
  const char* loader = vips_foreign_find_load_buffer(bytes.data(), bytes.size());
  if (!loader) return false;
  std::string name = loader;
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  switch (type) {
    case PhotoType::Jpeg: return name.find("jpeg") != std::string::npos;
    case PhotoType::Png: return name.find("png") != std::string::npos;
    case PhotoType::Webp: return name.find("webp") != std::string::npos;
  }
  return false;
}

struct Unref {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using Image = std::unique_ptr<VipsImage, Unref>;

std::string vips_message() {
  std::string message = vips_error_buffer();
  vips_error_clear();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// The WebP container without its metadata chunks (EXIF, XMP, ICCP) and
// with the VP8X flags that announce them cleared. libvips 8.14 writes a
// fresh EXIF block (orientation, resolution) whatever "strip" says; nothing
// but the image data is kept here, whatever the library version does.
std::optional<std::string> without_metadata(const std::string& webp) {
  auto u32 = [&](std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 1])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 2])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(webp[at + 3])) << 24;
  };
  if (webp.size() < 12 || webp.compare(0, 4, "RIFF") != 0 || webp.compare(8, 4, "WEBP") != 0) return std::nullopt;
  std::string out = webp.substr(0, 12);
  for (std::size_t at = 12; at + 8 <= webp.size();) {
    std::size_t size = u32(at + 4), padded = size + (size & 1);
    if (at + 8 + padded > webp.size()) return std::nullopt;
    std::string name = webp.substr(at, 4);
    if (name != "EXIF" && name != "XMP " && name != "ICCP") {
      std::string chunk = webp.substr(at, 8 + padded);
      if (name == "VP8X" && size >= 1) chunk[8] = static_cast<char>(chunk[8] & ~(0x20 | 0x08 | 0x04));
      out += chunk;
    }
    at += 8 + padded;
  }
  std::uint32_t riff = static_cast<std::uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>((riff >> (8 * i)) & 0xFF);
  return out;
}

// Fits the photo in size x size (never enlarged), turned upright by its EXIF
// orientation, as WebP with nothing but pixels.
std::optional<std::string> webp(std::string_view bytes, int size, int* width, int* height) {
  VipsImage* out = nullptr;
  if (vips_thumbnail_buffer(const_cast<char*>(bytes.data()), bytes.size(), &out, size, "height", size, "size",
                            VIPS_SIZE_DOWN, nullptr) != 0)
    return std::nullopt;
  Image fitted(out);
  // Nothing but pixels: every metadata field of a copy removed (EXIF with
  // its GPS position, XMP, IPTC, ICC, comments). The saver's own "strip"
  // is not enough: libvips 8.14's WebP saver kept the EXIF (the test saw it),
  // and still writes one of its own (removed below).
  VipsImage* copy = nullptr;
  if (vips_copy(fitted.get(), &copy, nullptr) != 0) return std::nullopt;
  Image image(copy);
  if (gchar** fields = vips_image_get_fields(image.get())) {
    for (gchar** f = fields; *f; ++f) vips_image_remove(image.get(), *f);
    g_strfreev(fields);
  }
  void* buffer = nullptr;
  std::size_t length = 0;
  if (vips_webpsave_buffer(image.get(), &buffer, &length, "Q", 82, "strip", TRUE, nullptr) != 0) return std::nullopt;
  std::string encoded(static_cast<const char*>(buffer), length);
  g_free(buffer);
  auto stripped = without_metadata(encoded);
  if (!stripped) return std::nullopt;
  if (width) *width = vips_image_get_width(image.get());
  if (height) *height = vips_image_get_height(image.get());
  return stripped;
}

}  // namespace

namespace {
std::once_flag g_once;
bool g_started = false;
}  // namespace

void stop_photo_library() {
  if (g_started) vips_shutdown();
}

bool start_photo_library() {
  std::once_flag& once = g_once;
  bool& started = g_started;
  std::call_once(once, [&started] {
    started = vips_init("vouch") == 0;
    if (started) {
      // No operation cache (it would keep uploads' buffers alive) and one
      // worker thread per photo: the server's own threads are the concurrency.
      vips_cache_set_max(0);
      vips_concurrency_set(1);
    }
  });
  return started;
}

std::optional<ProcessedPhoto> process_photo(std::string_view bytes, const PhotoLimits& limits, Error& error) {
  auto fail = [&](const char* code, std::string message) {
    error = {code, "", std::move(message)};
    return std::nullopt;
  };
  if (bytes.size() > limits.max_bytes)
    return fail("photo.too_large", "a photo may be at most " + std::to_string(limits.max_bytes >> 20) + " MB");
  auto type = sniff(bytes);
  if (!type) return fail("photo.unsupported_type", "a photo must be a JPEG, PNG or WebP image (judged by its content)");
  if (!start_photo_library()) return fail("photo.unreadable", "the image library could not start");
  if (!loader_agrees(bytes, *type)) {
    vips_error_clear();
    return fail("photo.unreadable", "the file does not read as the image type its first bytes claim");
  }
  // The header only: the size is known before a pixel is decoded.
  Image header(vips_image_new_from_buffer(bytes.data(), bytes.size(), "", "access", VIPS_ACCESS_SEQUENTIAL,
                                          "fail_on", VIPS_FAIL_ON_ERROR, nullptr));
  if (!header) return fail("photo.unreadable", "the image cannot be read: " + vips_message());
  std::int64_t width = vips_image_get_width(header.get()), height = vips_image_get_height(header.get());
  if (width * height > limits.max_pixels)
    return fail("photo.too_many_pixels", "the image is " + std::to_string(width) + " x " + std::to_string(height) +
                                             " pixels; at most " + std::to_string(limits.max_pixels / 1'000'000) +
                                             " megapixels are accepted");
  // Every pixel decoded once, failing on truncation or corruption.
  double average = 0;
  if (vips_avg(header.get(), &average, nullptr) != 0)
    return fail("photo.unreadable", "the image is truncated or corrupt: " + vips_message());
  header.reset();
  ProcessedPhoto photo;
  auto large = webp(bytes, limits.large, &photo.width, &photo.height);
  auto thumb = large ? webp(bytes, limits.thumb, nullptr, nullptr) : std::nullopt;
  if (!large || !thumb) return fail("photo.unreadable", "the image could not be re-encoded: " + vips_message());
  photo.large = std::move(*large);
  photo.thumb = std::move(*thumb);
  photo.hash = sha256_hex(photo.large).substr(0, 32);
  return photo;
}

bool is_photo_file_name(std::string_view name) {
  constexpr std::string_view kSuffix = ".webp", kThumb = "-thumb";
  if (name.size() < 32 + kSuffix.size() || name.substr(name.size() - kSuffix.size()) != kSuffix) return false;
  std::string_view stem = name.substr(0, name.size() - kSuffix.size());
  if (stem.size() == 32 + kThumb.size() && stem.substr(32) == kThumb) stem = stem.substr(0, 32);
  if (stem.size() != 32) return false;
  for (char c : stem)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace vouch::server
