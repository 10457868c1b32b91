#include <cstdio>
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "attribution/journeys.hpp"
#include "feed/generate.hpp"

namespace vouch::cli {

namespace {

std::ofstream open_for_writing(const std::string& path) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw VouchException({"input.unwritable", "", "cannot write " + path});
  return file;
}

}  // namespace

// vouch generate [--seed N] [--products N] [--influencers N] [--ugc N] [--now T] [--out FILE]
//                [--truth-out FILE] [--journeys N --touches-out FILE --orders-out FILE]
// Journeys are generated from the feed just generated (parsed back), so their
// influencers, codes and products always agree with it.
int run_generate(const Argv& argv) {
  Args args(argv, {"seed", "products", "influencers", "ugc", "now", "out", "truth-out", "journeys", "touches-out", "orders-out"}, {});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  GenerateOptions options;
  options.seed = static_cast<std::uint64_t>(args.integer("seed", 1, 0, INT64_MAX));
  options.products = static_cast<std::size_t>(args.integer("products", 24, 1, 1'000'000));
  options.influencers = static_cast<std::size_t>(args.integer("influencers", 60, 0, 1'000'000));
  options.ugc = static_cast<std::size_t>(args.integer("ugc", 600, 0, 2'000'000));
  if (args.get("now")) options.now = args.now();

  const bool journeys = args.get("journeys").has_value();
  if (journeys && (!args.get("touches-out") || !args.get("orders-out")))
    throw UsageError("--journeys needs --touches-out FILE and --orders-out FILE");
  if (!journeys && (args.get("touches-out") || args.get("orders-out")))
    throw UsageError("--touches-out and --orders-out need --journeys N");

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (auto path = args.get("out")) {
    file.open(*path, std::ios::binary | std::ios::trunc);
    if (!file) throw VouchException({"input.unwritable", "", "cannot write " + *path});
    out = &file;
  }
  std::ofstream truth;
  std::function<void(std::string_view)> truth_sink;
  if (auto path = args.get("truth-out")) {
    truth = open_for_writing(*path);
    truth_sink = [&](std::string_view chunk) { truth.write(chunk.data(), static_cast<std::streamsize>(chunk.size())); };
  }
  std::string feed_text;
  generate_feed(
      options,
      [&](std::string_view chunk) {
        out->write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (journeys) feed_text += chunk;
      },
      truth_sink);
  out->flush();
  if (!*out) throw VouchException({"input.unwritable", "", "writing the feed failed"});
  if (truth_sink && !truth.flush()) throw VouchException({"input.unwritable", "", "writing the truth file failed"});
  if (!journeys) return 0;

  FeedLoadResult loaded = load_feed(feed_text);
  if (!loaded.ok()) {
    print_errors(loaded.errors);
    return 1;
  }
  JourneyOptions journey_options;
  journey_options.seed = options.seed;
  journey_options.journeys = static_cast<std::size_t>(args.integer("journeys", 1000, 0, 10'000'000));
  journey_options.now = options.now;
  std::ofstream touches = open_for_writing(*args.get("touches-out"));
  std::ofstream orders = open_for_writing(*args.get("orders-out"));
  generate_journeys(
      *loaded.feed, journey_options,
      [&](std::string_view line) { touches.write(line.data(), static_cast<std::streamsize>(line.size())); },
      [&](std::string_view line) { orders.write(line.data(), static_cast<std::streamsize>(line.size())); });
  touches.flush();
  orders.flush();
  if (!touches || !orders) throw VouchException({"input.unwritable", "", "writing the journeys failed"});
  return 0;
}

}  // namespace vouch::cli
