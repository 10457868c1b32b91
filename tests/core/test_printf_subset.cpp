// format_printf_subset: the snprintf of the wasm modules. Natively it is
// compared with glibc's snprintf, which is what the module's output must match.
#include <catch2/catch.hpp>

#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/printf_subset.hpp"

namespace {

struct Printed {
  int result;
  std::string text;
};

Printed ours(std::size_t size, const char* format, ...) {
  char buffer[128];
  std::va_list args;
  va_start(args, format);
  int n = vouch::format_printf_subset(buffer, size, format, args);
  va_end(args);
  return {n, n < 0 || size == 0 ? std::string() : std::string(buffer)};
}

template <typename... Args>
Printed glibc(std::size_t size, const char* format, Args... args) {
  char buffer[128];
  int n = std::snprintf(buffer, size, format, args...);
  return {n, size == 0 ? std::string() : std::string(buffer)};
}

#define SAME_AS_GLIBC(size, format, ...)                          \
  do {                                                            \
    Printed a = ours(size, format, __VA_ARGS__);                  \
    Printed b = glibc(size, format, __VA_ARGS__);                 \
    INFO("format " << format);                                    \
    CHECK(a.result == b.result);                                  \
    CHECK(a.text == b.text);                                      \
  } while (0)

}  // namespace

TEST_CASE("The formats nlohmann and libc++ use print as glibc prints them", "[printf]") {
  // nlohmann's lexer names a control character: 0x1F -> "<U+001F>".
  CHECK(ours(128, "<U+%.4X>", 0x1F).text == "<U+001F>");
  // nlohmann's serializer escapes it: "\u001f" (6 characters + NUL fit in 7).
  CHECK(ours(7, "\\u%04x", 0x1F).text == "\\u001f");
  CHECK(ours(128, "Unknown error %d", -5).text == "Unknown error -5");
  SAME_AS_GLIBC(128, "<U+%.4X>", 0xAB);
  SAME_AS_GLIBC(128, "\\u%04x\\u%04x", 0xD83D, 0xDE00);
  SAME_AS_GLIBC(128, "Unknown error %d", INT_MIN);
}

TEST_CASE("Flags, width, precision and length modifiers of the subset", "[printf]") {
  SAME_AS_GLIBC(128, "[%5d|%-5d|%05d|%.3d|%5.3d|%-05d]", 42, 42, -42, 7, -7, 3);
  SAME_AS_GLIBC(128, "[%x|%X|%08x|%.0d|%.0x]", 0xbeefu, 0xbeefu, 255u, 0, 0u);
  SAME_AS_GLIBC(128, "[%u|%lu|%llu|%zu]", 4000000000u, 123456789ul, 18446744073709551615ull, std::size_t{77});
  SAME_AS_GLIBC(128, "[%ld|%lld|%hhd|%hd]", -9l, LLONG_MIN, 65, 300);
  // h and hh convert the int argument: 0x12345 as unsigned short is 0x2345,
  // 200 as signed char is -56, 70000 as short is 70000 - 65536 = 4464.
  CHECK(ours(128, "%hx|%hhd|%hd", 0x12345, 200, 70000).text == "2345|-56|4464");
  SAME_AS_GLIBC(128, "%hx|%hhd|%hd|%hhu", 0x12345, 200, 70000, 511);
  SAME_AS_GLIBC(128, "[%c|%3c|%-3c|%s|%.2s|%6s|%-6s|%%]", 'a', 'b', 'c', "text", "text", "ab", "ab");
}

TEST_CASE("Pointers print as glibc prints them (Embind's type names use %p)", "[printf]") {
  int object = 0;
  // 0x2a is 42: "0x" and the address in hex; glibc writes null as "(nil)".
  CHECK(ours(128, "%p", reinterpret_cast<void*>(std::uintptr_t{42})).text == "0x2a");
  CHECK(ours(128, "%p", nullptr).text == "(nil)");
  SAME_AS_GLIBC(128, "[%p]", static_cast<void*>(&object));
  SAME_AS_GLIBC(128, "[%p|%8p|%-8p]", static_cast<void*>(nullptr), reinterpret_cast<void*>(std::uintptr_t{0xab}),
                reinterpret_cast<void*>(std::uintptr_t{0xab}));
}

TEST_CASE("A short buffer gets a truncated, terminated text and the full length", "[printf]") {
  // "abc-12345" is 9 characters: a 4-byte buffer holds "abc" and the NUL.
  Printed p = ours(4, "abc%d", -12345);
  CHECK(p.result == 9);
  CHECK(p.text == "abc");
  SAME_AS_GLIBC(4, "abc%d", -12345);
  SAME_AS_GLIBC(1, "%s", "anything");
  CHECK(ours(0, "%d", 12345).result == 5);
}

TEST_CASE("A conversion outside the subset is an error, not a guess", "[printf]") {
  CHECK(ours(128, "%f", 1.5).result == -1);
  CHECK(ours(128, "%e", 2.0).result == -1);
}
