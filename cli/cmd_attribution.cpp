// vouch attribute / vouch report: touches and orders as JSON lines, read one
// line at a time into the typed model (never one big JSON tree), so a
// million touches cost tens of megabytes.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "args.hpp"
#include "attribution/attribution.hpp"
#include "commands.hpp"
#include "input/json_input.hpp"

namespace vouch::cli {

namespace {

// Each line of a JSON lines file, read with std::getline into one reused
// buffer (line N, 1-based, is element N-1).
template <typename Add>
void read_lines(const std::string& path, Add add) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file)
      throw VouchException({"input.unreadable", "", "cannot read " + path + ": " + std::strerror(errno)});
    in = &file;
  }
  std::string line;
  for (std::size_t index = 0; std::getline(*in, line); ++index) add(line, index);
}

struct Loaded {
  Feed feed;
  AttributionConfig config;
};

std::optional<Loaded> load(const Args& args) {
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  auto feed = load_feed_or_report(args.require("feed"));
  if (!feed) return std::nullopt;
  JsonTape config;
  if (auto path = args.get("config")) read_json_input(read_input(*path), "config", config);
  AttributionConfig parsed = config.empty() ? AttributionConfig{} : parse_attribution_config(config.root(), *feed);
  return Loaded{std::move(*feed), parsed};
}

// A report sets aside the orders it cannot attribute (listed with the
// reason, as the server's report does); `attribute` refuses the first.
void read_journeys(const Args& args, AttributionData& data) {
  std::string touches = args.require("touches"), orders = args.require("orders");
  if (touches == "-" && orders == "-") throw UsageError("--touches and --orders cannot both be stdin");
  read_lines(touches, [&](std::string_view line, std::size_t i) { data.add_touch_line(line, i, touches); });
  read_lines(orders, [&](std::string_view line, std::size_t i) { data.add_order_line(line, i, orders); });
}

}  // namespace

// vouch attribute --feed FEED --touches T.jsonl --orders O.jsonl [--config C] [--now T]
int run_attribute(const Argv& argv) {
  Args args(argv, {"feed", "touches", "orders", "config", "now"}, {});
  auto loaded = load(args);
  if (!loaded) return 1;
  Timestamp now = args.now();
  AttributionData data(loaded->feed);
  read_journeys(args, data);
  data.refuse_set_aside();
  // One buffer for every line, written out as it fills.
  std::string out;
  for (const auto& result : attribute(data, loaded->config, now)) {
    write_json(result, loaded->feed, out);
    out += '\n';
    if (out.size() > (1u << 16)) {
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
  }
  std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  std::cout.flush();
  return 0;
}

// vouch report --feed FEED --touches T.jsonl --orders O.jsonl [--config C]
int run_report(const Argv& argv) {
  Args args(argv, {"feed", "touches", "orders", "config"}, {});
  auto loaded = load(args);
  if (!loaded) return 1;
  AttributionData data(loaded->feed);
  read_journeys(args, data);
  std::cout << attribute_and_report(data, loaded->config).dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
