#pragma once
// Times are UTC seconds since the Unix epoch; text forms are converted only
// at the edges (feed parsing, CLI flags, output).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vouch {

using Timestamp = std::int64_t;  // UTC seconds

constexpr Timestamp kSecondsPerDay = 86400;

// RFC 3339 date-time: "2026-10-02T17:00:00Z", "2026-10-02T19:00:00.250+02:00".
// Fractional seconds are truncated. Returns nullopt when malformed or out of
// range (years 1970..9999).
std::optional<Timestamp> parse_rfc3339(std::string_view text);

// RFC 3339 full-date "2026-09-01", read as midnight UTC.
std::optional<Timestamp> parse_date(std::string_view text);

// "2026-10-02T17:00:00Z"
std::string format_rfc3339(Timestamp t);

// "2026-10-02"
std::string format_date(Timestamp t);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

}  // namespace vouch
