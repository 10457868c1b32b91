#include "input/json_input.hpp"

#include "common/text.hpp"

namespace vouch {

std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

namespace {

std::string at_line_column(std::string_view text, std::size_t offset) {
  auto [line, column] = line_column(text, offset);
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Where the parser stopped for depth: the first '{' or '[' (outside strings)
// that opens level max_depth + 1. Only on that error's path.
std::size_t too_deep_offset(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) return i;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return text.size();
}

}  // namespace

bool read_json_input(std::string_view text, std::string_view code_prefix, std::size_t max_bytes,
                     std::size_t max_depth, JsonRecorder& recorder, Error& error) {
  // A text the parser takes whole is valid UTF-8: nlohmann checks every byte
  // of a string as RFC 3629 says, and a byte over 0x7F anywhere else is no
  // JSON. So UTF-8 is scanned for only when the parse fails, and its fault
  // comes first, as if it had been checked before.
  if (text.size() <= max_bytes && nlohmann::json::sax_parse(text, &recorder))  // strict: trailing input too
    return true;
  // What went wrong, worded only now.
  std::string prefix(code_prefix);
  if (text.size() > max_bytes) {
    error = {prefix + ".too_large", "",
             "the " + prefix + " is " + std::to_string(text.size()) + " bytes; at most " +
                 std::to_string(max_bytes) + " bytes are accepted"};
    return false;
  }
  if (auto bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    error = {prefix + ".invalid_utf8", "", "the " + prefix + " is not valid UTF-8: bad byte at " + at_line_column(text, bad)};
    return false;
  }
  switch (recorder.stopped()) {
    case JsonRecorder::Stop::TooDeep:
      error = {prefix + ".too_deep", "",
               "the document nests deeper than " + std::to_string(max_depth) + " levels (at " +
                   at_line_column(text, too_deep_offset(text, max_depth)) + ")"};
      return false;
    case JsonRecorder::Stop::Syntax: {
      const JsonSyntaxError& fault = recorder.syntax_error();
      std::string where = fault.byte ? at_line_column(text, *fault.byte == 0 ? 0 : *fault.byte - 1) + ": " : "";
      error = {prefix + ".parse_error", "", "the " + prefix + " is not valid JSON: " + where + fault.detail};
      return false;
    }
    default:
      // A limit or the stream stopped it: the caller holds that fault.
      error = {};
      return false;
  }
}

bool read_json_input(std::string_view text, std::string_view code_prefix, const JsonInputLimits& limits,
                     JsonTape& tape, Error& error) {
  JsonLimits record_limits;
  record_limits.max_depth = limits.max_depth;
  JsonRecorder recorder(tape, record_limits);
  return read_json_input(text, code_prefix, limits.max_bytes, limits.max_depth, recorder, error);
}

void read_json_input(std::string_view text, std::string_view code_prefix, JsonTape& tape,
                     const JsonInputLimits& limits) {
  Error error;
  if (!read_json_input(text, code_prefix, limits, tape, error)) throw_error(std::move(error));
}

std::optional<nlohmann::json> parse_json_input(std::string_view text, std::string_view code_prefix,
                                               const JsonInputLimits& limits, Error& error) {
  JsonTape tape;
  if (!read_json_input(text, code_prefix, limits, tape, error)) return std::nullopt;
  return tape.root().to_json();
}

nlohmann::json parse_json_input(std::string_view text, std::string_view code_prefix,
                                const JsonInputLimits& limits) {
  Error error;
  std::optional<nlohmann::json> value = parse_json_input(text, code_prefix, limits, error);
  if (!value) throw_error(std::move(error));
  return std::move(*value);
}

bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape, Error& error) {
  tape.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") == std::string_view::npos) return true;
  if (read_json_input(line, kind, {}, tape, error)) return true;
  error.path = "/" + std::string(array) + "/" + std::to_string(index) + error.path;
  error.message = "line " + std::to_string(index + 1) + " of " + std::string(source) + ": " + error.message;
  return false;
}

bool read_json_line(std::string_view line, std::size_t index, std::string_view kind, std::string_view array,
                    std::string_view source, JsonTape& tape) {
  Error error;
  if (!read_json_line(line, index, kind, array, source, tape, error)) throw_error(std::move(error));
  return !tape.empty();
}

}  // namespace vouch
