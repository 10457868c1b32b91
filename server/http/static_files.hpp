#pragma once
// The widget, the demo store and the dashboard, served from the web/ tree:
//   /demo/...  -> web/demo/...     /admin/... -> web/admin/...     /portal/... -> web/portal/...
//   /...       -> web/dist/...     (/vouch.js, /vouch-engine.wasm, /engine.js)
// Never outside those folders: dot segments, hidden names and symlinks that
// leave the folder are refused.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace vouch::server {

struct StaticFile {
  std::string body;
  // The body gzip-compressed once when it loads, for the types cpp-httplib
  // would otherwise send raw (wasm) or compress on every request at brotli's
  // slowest setting (JavaScript, JSON: ~50 ms for the widget); empty for the
  // rest, which cpp-httplib compresses itself (small text pages) or that
  // are compressed already (images, fonts).
  std::string gzip_body;
  std::string content_type;
  std::string etag;           // strong: "sha256 prefix"
  std::string cache_control;  // immutable for content-hashed names, no-cache otherwise
};

// "vouch.3f2a9c1b.js", "engine-7QX2M4ZP.js": names that change when the content does.
bool is_content_hashed_name(std::string_view filename);

// MIME type by extension; application/octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& file);

class StaticFiles {
 public:
  // web_root is the web/ folder; an empty path serves nothing.
  explicit StaticFiles(std::filesystem::path web_root);

  enum class Result { Found, NotFound, Redirect };
  // On Redirect, `location` is the URL with the missing trailing slash.
  Result find(std::string_view url_path, std::shared_ptr<const StaticFile>& file, std::string& location);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::shared_ptr<const StaticFile> load(const std::filesystem::path& file);

  std::filesystem::path root_;
  std::mutex mutex_;
  struct Cached {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    std::shared_ptr<const StaticFile> file;
  };
  std::map<std::string, Cached> cache_;
};

}  // namespace vouch::server
