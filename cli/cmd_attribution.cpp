#include <iostream>

#include "args.hpp"
#include "commands.hpp"

namespace vouch::cli {

// Placeholders until the attribution issue lands.
int run_attribute(const Argv&) {
  std::cerr << "vouch: this command is not built yet\n";
  return 2;
}

int run_report(const Argv&) {
  std::cerr << "vouch: this command is not built yet\n";
  return 2;
}

}  // namespace vouch::cli
