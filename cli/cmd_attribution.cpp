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
#include "common/json_input.hpp"

namespace vouch::cli {

namespace {

// Line N (1-based) of a JSON lines file is element N-1 (parse_json_line).
// `refused(error, index)` takes a line that is not JSON; without it, it throws.
template <typename Add, typename Refused>
void read_json_lines(const std::string& path, const char* kind, const char* array, Add add, Refused refused) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file)
      throw VouchException({"input.unreadable", "", "cannot read " + path + ": " + std::strerror(errno)});
    in = &file;
  }
  std::string line;
  for (std::size_t index = 0; std::getline(*in, line); ++index) {
    std::optional<nlohmann::json> value;
    try {
      value = parse_json_line(line, index, kind, array, path);
    } catch (const VouchException& e) {
      if (!refused(e.error())) throw;
      continue;
    }
    if (value) add(*value, index);
  }
}

struct Loaded {
  Feed feed;
  AttributionConfig config;
};

std::optional<Loaded> load(const Args& args) {
  if (!args.positional().empty()) throw UsageError("takes no positional arguments");
  auto feed = load_feed_or_report(args.require("feed"));
  if (!feed) return std::nullopt;
  nlohmann::json config = nullptr;
  if (auto path = args.get("config")) config = parse_json_input(read_input(*path), "config");
  AttributionConfig parsed = parse_attribution_config(config, *feed);
  return Loaded{std::move(*feed), parsed};
}

// A report sets aside the orders it cannot attribute (listed with the
// reason, as the server's report does); `attribute` stops at the first.
void read_journeys(const Args& args, AttributionData& data, bool for_report) {
  std::string touches = args.require("touches"), orders = args.require("orders");
  if (touches == "-" && orders == "-") throw UsageError("--touches and --orders cannot both be stdin");
  read_json_lines(
      touches, "touch", "touches", [&](const nlohmann::json& v, std::size_t i) { data.add_touch(v, i); },
      [](const Error&) { return false; });
  read_json_lines(
      orders, "order", "orders",
      [&](const nlohmann::json& v, std::size_t i) {
        for_report ? data.add_order_or_set_aside(v, i) : data.add_order(v, i);
      },
      [&](const Error& error) {
        if (for_report) data.unattributable.push_back({"", error});
        return for_report;
      });
}

}  // namespace

// vouch attribute --feed FEED --touches T.jsonl --orders O.jsonl [--config C] [--now T]
int run_attribute(const Argv& argv) {
  Args args(argv, {"feed", "touches", "orders", "config", "now"}, {});
  auto loaded = load(args);
  if (!loaded) return 1;
  Timestamp now = args.now();
  AttributionData data(loaded->feed);
  read_journeys(args, data, false);
  std::string out;
  for (const auto& result : attribute(data, loaded->config, now)) {
    out = to_json(result, loaded->feed).dump();
    out += '\n';
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
  }
  std::cout.flush();
  return 0;
}

// vouch report --feed FEED --touches T.jsonl --orders O.jsonl [--config C]
int run_report(const Argv& argv) {
  Args args(argv, {"feed", "touches", "orders", "config"}, {});
  auto loaded = load(args);
  if (!loaded) return 1;
  AttributionData data(loaded->feed);
  read_journeys(args, data, true);
  std::cout << attribute_and_report(data, loaded->config).dump(2) << "\n";
  return 0;
}

}  // namespace vouch::cli
