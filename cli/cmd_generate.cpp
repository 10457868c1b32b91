#include <cstdio>
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "commands.hpp"
#include "feed/generate.hpp"

namespace vouch::cli {

// vouch generate [--seed N] [--products N] [--influencers N] [--ugc N] [--now T] [--out FILE]
int run_generate(const Argv& argv) {
  Args args(argv, {"seed", "products", "influencers", "ugc", "now", "out"}, {});
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  GenerateOptions options;
  options.seed = static_cast<std::uint64_t>(args.integer("seed", 1, 0, INT64_MAX));
  options.products = static_cast<std::size_t>(args.integer("products", 24, 1, 1'000'000));
  options.influencers = static_cast<std::size_t>(args.integer("influencers", 60, 0, 1'000'000));
  options.ugc = static_cast<std::size_t>(args.integer("ugc", 600, 0, 2'000'000));
  if (args.get("now")) options.now = args.now();

  std::ofstream file;
  std::ostream* out = &std::cout;
  if (auto path = args.get("out")) {
    file.open(*path, std::ios::binary | std::ios::trunc);
    if (!file) throw VouchException({"input.unwritable", "", "cannot write " + *path});
    out = &file;
  }
  generate_feed(options, [&](std::string_view chunk) { out->write(chunk.data(), static_cast<std::streamsize>(chunk.size())); });
  out->flush();
  if (!*out) throw VouchException({"input.unwritable", "", "writing the feed failed"});
  return 0;
}

}  // namespace vouch::cli
