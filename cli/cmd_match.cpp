#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"
#include "input/json_input.hpp"
#include "matching/matching.hpp"

namespace vouch::cli {

// vouch match --feed FEED --brief BRIEF [--now RFC3339]
// Prints the ranked shortlist, the plan and the filtered candidates as JSON.
int run_match(const Argv& argv) {
  Args args(argv, {"feed", "brief", "now"}, {});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  std::string feed_path = args.require("feed");
  std::string brief_path = args.require("brief");
  if (feed_path == "-" && brief_path == "-") throw UsageError("--feed and --brief cannot both be stdin");
  Timestamp now = args.now();
  JsonTape brief;
  read_json_input(read_input(brief_path), "brief", brief);
  auto feed = load_feed_or_report(feed_path);
  if (!feed) return 1;
  std::cout << match_json(*feed, brief.root(), now).dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
