#pragma once
// The server's clock: Unix time now, in whole seconds (what is stored) and
// with the fraction (the rate limits' buckets).
#include <chrono>

#include "common/time.hpp"

namespace vouch::server {

inline double unix_now_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline Timestamp unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace vouch::server
