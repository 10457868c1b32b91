#include "static_files.hpp"

#include <fstream>
#include <iterator>
#include <regex>
#include <vector>

#include "common/text.hpp"
#include "crypto.hpp"

namespace vouch::server {

namespace fs = std::filesystem;

bool is_content_hashed_name(std::string_view filename) {
  static const std::regex kHashed(R"(.*[.-]([0-9a-f]{8,64}|[0-9A-Z]{8})\.[A-Za-z0-9]+)");
  return std::regex_match(filename.begin(), filename.end(), kHashed);
}

std::string content_type_for(const fs::path& file) {
  static const std::map<std::string, std::string> kTypes = {
      // JavaScript and JSON with a charset: cpp-httplib leaves these types
      // alone (it matches "application/javascript" and "application/json"
      // exactly, and every "text/"), so the precompressed body goes out as is.
      {".html", "text/html; charset=utf-8"},       {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},  {".map", "application/json; charset=utf-8"},
      {".wasm", "application/wasm"},               {".svg", "image/svg+xml"},
      {".png", "image/png"},                       {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},                     {".webp", "image/webp"},
      {".avif", "image/avif"},                     {".gif", "image/gif"},
      {".ico", "image/x-icon"},                    {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},                    {".woff", "font/woff"},
      {".webmanifest", "application/manifest+json"}};
  auto it = kTypes.find(ascii_lower(file.extension().string()));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path web_root) {
  std::error_code ec;
  if (!web_root.empty()) root_ = fs::canonical(web_root, ec);
  if (ec) root_.clear();
}

StaticFiles::Result StaticFiles::find(std::string_view url_path, std::shared_ptr<const StaticFile>& file,
                                      std::string& location) {
  if (root_.empty() || url_path.empty() || url_path.front() != '/') return Result::NotFound;
  // Which folder serves this URL.
  std::string_view rest = url_path.substr(1);
  fs::path base = root_ / "dist";
  for (std::string_view area : {"demo", "admin", "shared", "portal"}) {
    if (rest == area) {
      location = std::string(url_path) + "/";
      return Result::Redirect;
    }
    if (rest.size() > area.size() && rest.substr(0, area.size()) == area && rest[area.size()] == '/') {
      base = root_ / std::string(area);
      rest = rest.substr(area.size() + 1);
      break;
    }
  }
  // Each segment must be a plain name: no "..", no ".hidden", no NUL or backslash.
  fs::path relative;
  std::size_t start = 0;
  while (start <= rest.size()) {
    auto slash = rest.find('/', start);
    std::string_view segment = rest.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!segment.empty()) {
      if (segment.front() == '.' || segment.find('\0') != std::string_view::npos ||
          segment.find('\\') != std::string_view::npos)
        return Result::NotFound;
      relative /= std::string(segment);
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  bool wants_directory = rest.empty() || rest.back() == '/';
  std::error_code ec;
  fs::path target = fs::weakly_canonical(base / relative, ec);
  if (ec) return Result::NotFound;
  fs::path canonical_base = fs::weakly_canonical(base, ec);
  if (ec) return Result::NotFound;
  // The resolved path (symlinks followed) must stay inside the folder.
  auto [mismatch, unused] = std::mismatch(canonical_base.begin(), canonical_base.end(), target.begin(), target.end());
  if (mismatch != canonical_base.end()) return Result::NotFound;
  if (fs::is_directory(target, ec)) {
    if (!wants_directory) {
      location = std::string(url_path) + "/";
      return Result::Redirect;
    }
    target /= "index.html";
  } else if (wants_directory) {
    return Result::NotFound;
  }
  if (!fs::is_regular_file(target, ec)) return Result::NotFound;
  file = load(target);
  return file ? Result::Found : Result::NotFound;
}

std::shared_ptr<const StaticFile> StaticFiles::load(const fs::path& path) {
  std::error_code ec;
  auto mtime = fs::last_write_time(path, ec);
  if (ec) return nullptr;
  auto size = fs::file_size(path, ec);
  if (ec) return nullptr;
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(path.string());
    if (it != cache_.end() && it->second.mtime == mtime && it->second.size == size) return it->second.file;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  auto file = std::make_shared<StaticFile>();
  file->body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  file->content_type = content_type_for(path);
  if (file->content_type.rfind("application/", 0) == 0 && file->content_type != "application/octet-stream" &&
      file->content_type != "application/manifest+json")
    file->gzip_body = gzip(file->body);
  file->etag = strong_etag(file->body);
  file->cache_control = is_content_hashed_name(path.filename().string())
                            ? "public, max-age=31536000, immutable"
                            : "no-cache";
  std::lock_guard lock(mutex_);
  cache_[path.string()] = {mtime, size, file};
  return file;
}

}  // namespace vouch::server
