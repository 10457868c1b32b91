#pragma once
// The feed file imported into the database, the store of record
// (docs/server.md, "Import"): `vouch import FEED`, and `vouch serve --feed`
// at start and when the file changes.
//
// The file is read element by element (feed/feed_stream.hpp; until issue
// 32's streaming reader replaces its adapter, that loads the feed whole
// first), twice at most:
//   1. every element is checked by the feed's rules and compared with the
//      stored one by its content hash (the SHA-256 of its feed JSON) and its
//      place; an invalid feed stops here and nothing is written;
//   2. when anything differs, the new and changed elements are written, a
//      batch per transaction (other writers get in between).
// Then the elements the database has and the file no longer does are
// retired: kept (their votes, decisions and the reviews about them stay),
// no longer shown or counted, back when a later file has them again. A
// re-import of an unchanged file writes nothing but its record in `imports`.
//
// UGC items are placed among their product's items (what a product's
// documents follow), so an item added at the top of the file moves only its
// own product's items.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "feed/feed.hpp"
#include "store.hpp"

namespace vouch::server {

struct ImportResult {
  std::vector<Error> errors;  // the feed's faults: nothing was written
  bool truncated = false;
  // {"file", "sha256", "size", "mtime_ns", "passes", "rows_written", "seconds",
  //  "sections": {"store"|"products"|"influencers"|"endorsements"|"ugc":
  //               {"added", "changed", "unchanged", "retired"}}}
  nlohmann::json summary;
  bool changed() const;  // anything written (a document may change)
};

// Imports the feed file at `path` ("-": standard input, copied to a
// temporary file first). Throws StoreError.
ImportResult import_feed(CatalogueStore& store, const std::string& path, const FeedLimits& limits);

// The SHA-256 of the file (hex), "" when it cannot be read.
std::string file_sha256(const std::string& path);

// A file's size and modification time in nanoseconds (the import's summary
// records them as "size" and "mtime_ns"); nullopt when it cannot be read.
using FileStamp = std::pair<std::int64_t, std::int64_t>;
std::optional<FileStamp> file_stamp(const std::string& path);

// Whether the database's last import was of this file as it is now (path,
// size and modification time): a start need not read it again.
bool imported_as_is(CatalogueStore& store, const std::string& path);

}  // namespace vouch::server
