#include "args.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vouch::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& value_flags,
           const std::set<std::string>& switches) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(2), value;
      bool inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        inline_value = true;
      }
      if (switches.count(name)) {
        if (inline_value) throw UsageError("--" + name + " takes no value");
        switches_.insert(name);
      } else if (value_flags.count(name)) {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw UsageError("--" + name + " needs a value");
          value = argv[++i];
        }
        values_[name] = value;
      } else {
        throw UsageError("unknown option --" + name);
      }
    } else {
      positional_.push_back(a);
    }
  }
}

std::optional<std::string> Args::get(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::require(const std::string& flag) const {
  auto v = get(flag);
  if (!v) throw UsageError("--" + flag + " is required");
  return *v;
}

long long Args::integer(const std::string& flag, long long fallback, long long min,
                        long long max) const {
  auto v = get(flag);
  if (!v) return fallback;
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(*v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v->size() || v->empty() || n < min || n > max)
    throw UsageError("--" + flag + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got \"" + *v + "\"");
  return n;
}

Timestamp Args::now() const {
  if (auto v = get("now")) {
    auto t = parse_rfc3339(*v);
    if (!t) throw UsageError("--now must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
    return *t;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string read_input(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw VouchException({"input.unreadable", "", "cannot read " + path + ": " + std::strerror(errno)});
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void print_errors(const std::vector<Error>& errors) {
  for (const auto& e : errors) std::cerr << nlohmann::json(e).dump() << "\n";
}

std::optional<Feed> load_feed_or_report(const std::string& path) {
  FeedLoadResult result = load_feed(read_input(path), store_feed_limits());
  if (!result.ok()) {
    print_errors(result.errors);
    return std::nullopt;
  }
  return std::move(result.feed);
}

}  // namespace vouch::cli
