#pragma once
// The server's clock: Unix time now, in whole seconds (what is stored) and
// with the fraction (the rate limits' buckets).
#include <chrono>
#include <cstdlib>

#include "common/time.hpp"

namespace vouch::server {

// VOUCH_CLOCK_OFFSET=SECONDS (read once, at start): the server's clock runs
// that far ahead of the machine's. For tests and demos that must see a
// refund window or a sign-in link's 15 minutes pass; never set in production.
inline const Timestamp kClockOffsetSeconds = [] {
  const char* value = std::getenv("VOUCH_CLOCK_OFFSET");
  return value ? static_cast<Timestamp>(std::strtoll(value, nullptr, 10)) : Timestamp{0};
}();

inline double unix_now_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count() +
         static_cast<double>(kClockOffsetSeconds);
}

inline Timestamp unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count() +
         kClockOffsetSeconds;
}

}  // namespace vouch::server
