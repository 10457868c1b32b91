// Every message that leaves the engines is valid UTF-8. nlohmann's parse
// errors quote the bytes read so far, and stop inside a multi-byte character
// when the faulty token is not ASCII (inputs in the style of nst's
// JSONTestSuite, written for these tests: tests/fixtures/json-nonascii/);
// dumping such a message threw type_error.316 and the CLI printed nothing.
#include <catch2/catch.hpp>

#include <filesystem>

#include "common/error.hpp"
#include "input/json_input.hpp"
#include "common/text.hpp"
#include "feed/feed.hpp"
#include "../read_file.hpp"

using namespace vouch;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> nonascii_inputs() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(VOUCH_FIXTURES) / "json-nonascii"))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

Error parse_error_of(const std::string& text) {
  try {
    parse_json_input(text, "events");
  } catch (const VouchException& e) {
    return e.error();
  }
  FAIL("parsed");
  return {};
}

}  // namespace

TEST_CASE("A parse error quoting part of a non-ASCII token is valid UTF-8", "[errors][utf8]") {
  // {🇨🇭}: the parser stops after the first byte of U+1F1E8 (4 bytes); that
  // byte alone is not UTF-8 and becomes U+FFFD.
  CHECK(parse_error_of("{\xF0\x9F\x87\xA8\xF0\x9F\x87\xAD}") ==
        // Where, by line and column for every input, as the feed's (once "(byte 2)").
        Error{"events.parse_error", "",
              "the events is not valid JSON: line 1, column 2: invalid literal; last read: '{\xEF\xBF\xBD'; expected "
              "string literal"});
  FeedLoadResult feed = load_feed("[\xEF\xBC\x91]");  // [１], a full-width digit one (U+FF11)
  REQUIRE(feed.errors.size() == 1);
  CHECK(feed.errors[0] == Error{"feed.parse_error", "",
                                "the feed is not valid JSON: line 1, column 2: invalid literal; last read: "
                                "'[\xEF\xBF\xBD'"});
}

TEST_CASE("Every non-ASCII syntax error gives a valid UTF-8 message that dumps as JSON", "[errors][utf8]") {
  std::vector<fs::path> files = nonascii_inputs();
  CHECK(files.size() == 9);
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    std::string text = read_file(file);
    Error parse = parse_error_of(text);
    CHECK(parse.code == "events.parse_error");
    CHECK(is_valid_utf8(parse.message));
    FeedLoadResult feed = load_feed(text);
    REQUIRE(feed.errors.size() == 1);
    CHECK(feed.errors[0].code == "feed.parse_error");
    CHECK(is_valid_utf8(feed.errors[0].message));
    // What the CLI's --json and the wasm boundary do with it.
    CHECK_NOTHROW(json(feed.errors).dump());
  }
}

TEST_CASE("Text leaves on character boundaries, bad bytes replaced", "[errors][utf8]") {
  SECTION("valid_utf8 replaces each bad byte with U+FFFD and keeps the rest") {
    CHECK(valid_utf8("ok") == "ok");
    CHECK(valid_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    // A 4-byte character cut after its first two bytes: two replacements.
    CHECK(valid_utf8("x\xF0\x9F") == "x\xEF\xBF\xBD\xEF\xBF\xBD");
  }
  SECTION("utf8_prefix_length backs up to the start of the character a cut would split") {
    CHECK(utf8_prefix_length("abc", 10) == 3);
    CHECK(utf8_prefix_length("ab\xC3\xA9", 3) == 2);  // "abé": é is bytes 2..3
    CHECK(utf8_prefix_length("ab\xC3\xA9", 4) == 4);
  }
  SECTION("quoted values are cut to 40 bytes without splitting a character") {
    // 39 ASCII letters and "é" (2 bytes) are 41 bytes: the cut keeps the 39 letters.
    CHECK(quote_for_message(std::string(39, 'a') + "\xC3\xA9") == "\"" + std::string(39, 'a') + "…\"");
  }
  SECTION("an error with a bad byte in its message or path still dumps (to_json is every error's way out)") {
    Error e{"feed.invalid_type", "/ugc/\xFF", "bad \xC3"};
    CHECK(json(e).dump() == R"({"code":"feed.invalid_type","message":"bad �","path":"/ugc/�"})");
  }
}
