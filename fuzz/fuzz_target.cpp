// The libFuzzer entry of every target: CMake compiles it once per target with
// VOUCH_FUZZ_CHECK naming the check of properties.hpp. Run via scripts/fuzz.sh.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string violation =
      vouch::fuzz::VOUCH_FUZZ_CHECK(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!violation.empty()) {
    std::fprintf(stderr, "property broken: %s\n", violation.c_str());
    std::abort();
  }
  return 0;
}
