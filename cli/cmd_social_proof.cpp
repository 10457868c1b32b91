#include <climits>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "social_proof/social_proof.hpp"

namespace vouch::cli {

// vouch social-proof --feed FEED --product ID [--locale L] [--via INFLUENCER]
//   [--limit K] [--offset N] [--sort S] [--min-rating N] [--verified-only]
//   [--with-media] [--no-moderation-lists] [--now RFC3339]
// Flags become the engine's JSON query; the engine judges the values (exit 1
// with {code, path, message}), the parser only their syntax (exit 2).
int run_social_proof(const Argv& argv) {
  Args args(argv, {"feed", "product", "locale", "via", "limit", "offset", "sort", "min-rating", "now"},
            {"verified-only", "with-media", "no-moderation-lists"});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  const std::string feed_path = args.require("feed");
  nlohmann::json query = {{"product", args.require("product")},
                          {"now", format_rfc3339(args.now())}};
  if (auto v = args.get("locale")) query["locale"] = *v;
  if (auto v = args.get("via")) query["via"] = *v;
  if (auto v = args.get("sort")) query["sort"] = *v;
  if (args.get("limit")) query["limit"] = args.integer("limit", 0, INT_MIN, INT_MAX);
  if (args.get("offset")) query["offset"] = args.integer("offset", 0, INT_MIN, INT_MAX);
  if (args.get("min-rating")) query["min_rating"] = args.integer("min-rating", 0, INT_MIN, INT_MAX);
  if (args.has("verified-only")) query["verified_only"] = true;
  if (args.has("with-media")) query["with_media"] = true;
  if (args.has("no-moderation-lists")) query["moderation_lists"] = false;

  std::optional<Feed> feed = load_feed_or_report(feed_path);
  if (!feed) return 1;
  std::cout << social_proof_json(*feed, query).dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
