#include <iostream>

#include "args.hpp"
#include "commands.hpp"

namespace vouch::cli {

// Placeholder until its issue lands.
int run_serve(const Argv&) {
  std::cerr << "vouch: this command is not built yet\n";
  return 2;
}

}  // namespace vouch::cli
