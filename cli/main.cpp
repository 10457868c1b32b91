// vouch: the command line of the Vouch engines, and the store owner's server.
#include <cstring>
#include <iostream>
#include <map>

#include "args.hpp"
#include "commands.hpp"
#include "common/text.hpp"

namespace {

constexpr const char* kUsage = R"(vouch — social proof, influencer matching and referral attribution

Usage:
  vouch validate FEED [--json]            exit 0 valid, 1 invalid; errors as {code,path,message}
  vouch generate [--seed N] [--products N] [--influencers N] [--ugc N] [--now RFC3339] [--out FILE]
                 [--truth-out FILE] [--journeys N --touches-out FILE --orders-out FILE]
  vouch social-proof --feed FEED --product ID [--locale L] [--via INFLUENCER]
                     [--limit K] [--offset N] [--sort relevant|newest|highest|lowest|helpful|media]
                     [--min-rating N] [--verified-only] [--with-media] [--no-moderation-lists] [--now RFC3339]
  vouch match --feed FEED --brief BRIEF [--now RFC3339]
  vouch attribute --feed FEED --touches TOUCHES.jsonl --orders ORDERS.jsonl
                  [--config CONFIG] [--now RFC3339]
  vouch report --feed FEED --touches TOUCHES.jsonl --orders ORDERS.jsonl [--config CONFIG]
  vouch serve [--feed FEED] [--db FILE | postgres://…] [--host 127.0.0.1] [--port 8080]
              [--static DIR] [--admin-token T | --admin-token-file FILE] [--webhook-secret S]
              [--allow-origin ORIGIN]... [--config ATTRIBUTION.json] [--threads N]
              [--rate-limit N] [--address-rate-limit N] [--global-rate-limit N]
              [--trusted-proxy ADDRESS]... [--retention-days N] [--max-db-mb N] [--review-rate-limit N]
              [--vote-rate-limit N] [--db-pool N] [--group-commit on|off] [--no-access-log]
  vouch migrate --from DB --to DB         copies a store into a new, empty one (SQLite <-> PostgreSQL)
  vouch import FEED [--db FILE]           the feed into the store's database (what `serve` serves)
  vouch export (--feed FEED | --db FILE) --out DIR [--now RFC3339] [--threads N]
                                          the public documents of `serve` as files under DIR/v1/
  vouch --help | --version

FEED may be "-" for stdin. Results go to stdout as JSON, diagnostics to stderr.
Exit status: 0 done, 1 bad input, 2 usage error.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace vouch::cli;
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "vouch " << VOUCH_VERSION << "\n";
    return 0;
  }
  static const std::map<std::string, int (*)(const Argv&)> kCommands = {
      {"validate", run_validate}, {"generate", run_generate},   {"social-proof", run_social_proof},
      {"match", run_match},       {"attribute", run_attribute}, {"report", run_report},
      {"serve", run_serve},       {"export", run_export},       {"migrate", run_migrate},
      {"import", run_import}};
  auto it = kCommands.find(command);
  if (it == kCommands.end()) {
    std::cerr << "vouch: unknown command \"" << vouch::valid_utf8(command) << "\"\n\n" << kUsage;
    return 2;
  }
  Argv rest(argv + 2, argv + argc);
  for (const auto& a : rest)
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    }
  try {
    return it->second(rest);
  } catch (const UsageError& e) {
    // Flags and their values are quoted as typed: valid UTF-8 on the way out.
    std::cerr << "vouch " << command << ": " << vouch::valid_utf8(e.what()) << "\n";
    return 2;
  } catch (const vouch::VouchException& e) {
    print_errors({e.error()});
    return 1;
  } catch (const std::exception& e) {
    print_errors({{"internal.error", "", e.what()}});
    return 1;
  }
}
