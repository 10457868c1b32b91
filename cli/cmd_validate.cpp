#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "commands.hpp"

namespace vouch::cli {

// vouch validate FEED [--json]
int run_validate(const Argv& argv) {
  Args args(argv, {}, {"json"});
  if (args.positional().size() != 1) throw UsageError("expects exactly one FEED (a file or -)");
  FeedLoadResult result = load_feed(read_input(args.positional()[0]), store_feed_limits());
  if (args.has("json")) {
    nlohmann::json out = {{"valid", result.ok()}, {"errors", result.errors},
                          {"truncated", result.truncated}};
    if (result.ok())
      out["counts"] = {{"products", result.feed->products.size()},
                       {"influencers", result.feed->influencers.size()},
                       {"endorsements", result.feed->endorsements.size()},
                       {"ugc", result.feed->ugc.size()}};
    std::cout << out.dump(2) << "\n";
    return result.ok() ? 0 : 1;
  }
  if (!result.ok()) {
    for (const auto& e : result.errors)
      std::cerr << e.code << " at " << (e.path.empty() ? "/" : e.path) << ": " << e.message << "\n";
    if (result.truncated) std::cerr << "(more errors not shown)\n";
    std::cerr << result.errors.size() << (result.truncated ? "+" : "") << " error"
              << (result.errors.size() == 1 ? "" : "s") << "; the feed is not valid\n";
    return 1;
  }
  const Feed& f = *result.feed;
  std::cout << "valid: " << f.products.size() << " products, " << f.influencers.size()
            << " influencers, " << f.endorsements.size() << " endorsements, " << f.ugc.size()
            << " ugc items\n";
  return 0;
}

}  // namespace vouch::cli
