#pragma once
// Command-line arguments: "vouch COMMAND [POSITIONAL...] [--flag value] [--switch]".
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/time.hpp"
#include "feed/feed.hpp"

namespace vouch::cli {

// A usage error: exit status 2, message on stderr.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // value_flags take a value ("--feed FILE"); switches do not ("--json").
  Args(const std::vector<std::string>& argv, const std::set<std::string>& value_flags,
       const std::set<std::string>& switches);

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> get(const std::string& flag) const;
  std::string require(const std::string& flag) const;
  bool has(const std::string& flag) const { return switches_.count(flag) > 0; }
  // Integer flag within [min, max], or fallback when absent.
  long long integer(const std::string& flag, long long fallback, long long min, long long max) const;
  // --now as UTC seconds, or the current time when absent.
  Timestamp now() const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
};

// Reads a whole file, or stdin for "-". Throws VouchException
// (input.unreadable) when the file cannot be read.
std::string read_input(const std::string& path);

// Prints one JSON error {code, path, message} per line on stderr.
void print_errors(const std::vector<Error>& errors);

// Loads and validates a feed; on failure prints the errors and returns
// nullopt (the caller exits 1).
std::optional<Feed> load_feed_or_report(const std::string& path);

}  // namespace vouch::cli
