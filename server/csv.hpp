#pragma once
// CSV fields as the server writes them (RFC 4180) and the dashboard's exports
// too: web/shared/rules.js gets kCsvFormulaStart generated from here
// (tests/web/web_rules.cpp), and a test runs the same fields through both.
#include <string>
#include <string_view>

namespace vouch::server {

// A field starting with one of these is prefixed with ' so that a spreadsheet
// shows it as text instead of running it as a formula (OWASP, "CSV Injection").
inline constexpr std::string_view kCsvFormulaStart = "=+-@\t\r";

// Quoted when it holds a comma, a quote or a line break, quotes doubled.
inline std::string csv_field(std::string_view value) {
  std::string text(value);
  if (!text.empty() && kCsvFormulaStart.find(text[0]) != std::string_view::npos) text = "'" + text;
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

}  // namespace vouch::server
