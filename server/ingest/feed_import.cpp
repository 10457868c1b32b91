#include "feed_import.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <functional>
#include <iostream>
#include <unordered_map>

#include "crypto.hpp"
#include "feed/feed_stream.hpp"
#include "feed/feed_write.hpp"
#include "social_proof/moderation.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

constexpr std::size_t kBatch = 1000;  // elements compared, and written, together
constexpr std::array<FeedSection, 5> kSections = {FeedSection::Store, FeedSection::Products, FeedSection::Influencers,
                                                  FeedSection::Endorsements, FeedSection::Ugc};

struct Counts {
  std::int64_t added = 0, changed = 0, unchanged = 0, retired = 0;
};

// FNV-1a, 64 bits: the ids a file holds, to find what it no longer does.
// Two ids with one hash (about 1 in 10^13 for 2,000,000 ids) would keep a
// gone element live: never a live one retired.
std::uint64_t id_hash(std::string_view id) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : id) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::string content_hash(const std::string& body) { return sha256_hex(body).substr(0, 32); }

// Reads the file's elements, compares each batch with the stored versions
// and, when `write`, writes the new and changed ones.
class Importer final : public FeedElements {
 public:
  Importer(CatalogueStore& store, bool write) : store_(store), write_(write) {}

  void store(const vouch::Store& s) override { add({FeedSection::Store, "", 0, "", "", to_json(s).dump(), ""}); }
  void product(Product&& p, std::size_t i) override { add({FeedSection::Products, p.id, pos(i), "", "", to_json(p).dump(), ""}); }
  void influencer(Influencer&& in, std::size_t i) override {
    add({FeedSection::Influencers, in.id, pos(i), "", "", to_json(in).dump(), ""});
  }
  void endorsement(Endorsement&& e, std::size_t i) override {
    add({FeedSection::Endorsements, e.id, pos(i), e.product, e.influencer, to_json(e).dump(), ""});
  }
  void ugc(Ugc&& u, std::size_t) override {
    ids_[index(FeedSection::Ugc)].push_back(id_hash(u.id));
    ImportedUgc item;
    item.position = next_position_[u.product]++;
    item.hash = content_hash(to_json(u).dump());
    item.spam_points = judge_spam(u.title, u.body).points;
    item.item = std::move(u);
    ugc_.push_back(std::move(item));
    if (ugc_.size() == kBatch) flush_ugc();
  }

  // Writes what is left, then retires what the file no longer holds.
  void finish() {
    for (FeedSection s : kSections) s == FeedSection::Ugc ? flush_ugc() : flush_catalogue(s);
    for (auto& ids : ids_) std::sort(ids.begin(), ids.end());
  }

  void retire_missing() {
    for (FeedSection s : kSections) {
      const auto& kept = ids_[index(s)];
      std::vector<std::string> gone;
      store_.live_ids(s, [&](const std::string& id) {
        if (!std::binary_search(kept.begin(), kept.end(), id_hash(id))) gone.push_back(id);
      });
      counts_[index(s)].retired = static_cast<std::int64_t>(gone.size());
      if (!write_) continue;
      for (std::size_t at = 0; at < gone.size(); at += kBatch) {
        std::vector<std::string> batch(gone.begin() + at, gone.begin() + std::min(gone.size(), at + kBatch));
        rows_written_ += store_.retire(s, batch);
      }
    }
  }

  bool differs() const {
    return std::any_of(counts_.begin(), counts_.end(),
                       [](const Counts& c) { return c.added + c.changed + c.retired > 0; });
  }
  std::int64_t rows_written() const { return rows_written_; }

  json sections() const {
    json out = json::object();
    for (FeedSection s : kSections) {
      const Counts& c = counts_[index(s)];
      out[std::string(section_name(s))] = {
          {"added", c.added}, {"changed", c.changed}, {"unchanged", c.unchanged}, {"retired", c.retired}};
    }
    return out;
  }

 private:
  CatalogueStore& store_;
  bool write_;
  std::array<std::vector<CatalogueElement>, 5> pending_;
  std::vector<ImportedUgc> ugc_;
  std::array<std::vector<std::uint64_t>, 5> ids_;
  std::array<Counts, 5> counts_;
  std::unordered_map<std::string, std::int64_t> next_position_;  // per product
  std::int64_t rows_written_ = 0;

  static std::size_t index(FeedSection s) { return static_cast<std::size_t>(s); }
  static std::int64_t pos(std::size_t i) { return static_cast<std::int64_t>(i); }

  void add(CatalogueElement e) {
    e.hash = content_hash(e.body);
    ids_[index(e.section)].push_back(id_hash(e.id));
    FeedSection s = e.section;
    pending_[index(s)].push_back(std::move(e));
    if (pending_[index(s)].size() == kBatch) flush_catalogue(s);
  }

  // Counts each element as added, changed or unchanged; keeps those to write.
  template <class Element>
  std::vector<Element> compare(FeedSection s, std::vector<Element>& batch,
                               const std::function<const std::string&(const Element&)>& id_of,
                               const std::function<bool(const Element&, const StoredVersion&)>& same) {
    std::vector<std::string> ids;
    for (const auto& e : batch) ids.push_back(id_of(e));
    auto stored = store_.stored_versions(s, ids);
    std::vector<Element> differing;
    Counts& c = counts_[index(s)];
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (!stored[i]) ++c.added;
      else if (same(batch[i], *stored[i])) { ++c.unchanged; continue; }
      else ++c.changed;
      differing.push_back(std::move(batch[i]));
    }
    batch.clear();
    return differing;
  }

  void flush_catalogue(FeedSection s) {
    auto& batch = pending_[index(s)];
    if (batch.empty()) return;
    auto differing = compare<CatalogueElement>(
        s, batch, [](const CatalogueElement& e) -> const std::string& { return e.id; },
        [](const CatalogueElement& e, const StoredVersion& v) {
          return v.hash == e.hash && v.position == e.position && !v.retired;
        });
    if (write_ && !differing.empty()) rows_written_ += store_.write_catalogue(differing);
  }

  void flush_ugc() {
    if (ugc_.empty()) return;
    auto differing = compare<ImportedUgc>(
        FeedSection::Ugc, ugc_, [](const ImportedUgc& u) -> const std::string& { return u.item.id; },
        [](const ImportedUgc& u, const StoredVersion& v) {
          return v.hash == u.hash && v.position == u.position && !v.retired;
        });
    if (write_ && !differing.empty()) rows_written_ += store_.write_feed_ugc(differing);
  }
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Standard input copied to a temporary file (it is read twice).
std::string spool_stdin() {
  std::string path = (std::filesystem::temp_directory_path() / ("vouch-import-" + std::to_string(::getpid()))).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << std::cin.rdbuf();
  if (!out) throw VouchException({"import.unwritable", "", "cannot write a copy of standard input to " + path});
  return path;
}

}  // namespace

bool ImportResult::changed() const { return summary.value("rows_written", 0) > 0; }

std::optional<FileStamp> file_stamp(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileStamp{st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

bool imported_as_is(CatalogueStore& store, const std::string& path) {
  auto last = store.last_import();
  auto stamp = file_stamp(path);
  if (!last || !stamp) return false;
  return last->file == path && last->summary.value("size", std::int64_t{-1}) == stamp->first &&
         last->summary.value("mtime_ns", std::int64_t{-1}) == stamp->second;
}

std::string file_sha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return in ? sha256_hex(in) : std::string();
}

ImportResult import_feed(CatalogueStore& store, const std::string& path_in, const FeedLimits& limits) {
  auto start = std::chrono::steady_clock::now();
  const Timestamp started_at =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const bool spooled = path_in == "-";
  const std::string path = spooled ? spool_stdin() : path_in;
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      if (!path.empty()) std::remove(path.c_str());
    }
  } cleanup{spooled ? path : ""};

  const FileStamp stamp = file_stamp(path).value_or(FileStamp{-1, -1});
  auto read = [&](Importer& importer) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw VouchException({"import.unreadable", "", "cannot read " + path_in});
    FeedStreamResult result = read_feed_elements(in, limits, importer);
    if (result.ok()) importer.finish();
    return result;
  };
  ImportResult out;
  Importer scan(store, false);
  FeedStreamResult checked = read(scan);
  if (!checked.ok()) {
    out.errors = std::move(checked.errors);
    out.truncated = checked.truncated;
    return out;
  }
  scan.retire_missing();
  int passes = 1;
  json sections = scan.sections();
  std::int64_t rows = 0;
  if (scan.differs()) {
    Importer apply(store, true);
    FeedStreamResult applied = read(apply);
    if (!applied.ok()) {  // the file changed between the two passes
      out.errors = std::move(applied.errors);
      out.truncated = applied.truncated;
      return out;
    }
    apply.retire_missing();
    passes = 2;
    sections = apply.sections();
    rows = apply.rows_written();
  }
  ImportRecord record{path_in, file_sha256(path), started_at, 0, json::object()};
  record.finished_at =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  record.summary = {{"file", path_in},     {"sha256", record.file_sha256}, {"size", stamp.first}, {"mtime_ns", stamp.second},
                    {"passes", passes},    {"rows_written", rows},
                    {"sections", sections}, {"seconds", std::round(seconds_since(start) * 1000) / 1000}};
  store.record_import(record);
  out.summary = record.summary;
  return out;
}

}  // namespace vouch::server
