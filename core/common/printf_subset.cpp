#include "common/printf_subset.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace vouch {
namespace {

// Appends to a bounded buffer, counting what would have been written.
struct Output {
  char* out;
  std::size_t size;
  std::size_t length = 0;
  void put(char c) {
    if (length + 1 < size) out[length] = c;
    ++length;
  }
  void repeat(char c, long count) {
    for (long i = 0; i < count; ++i) put(c);
  }
};

}  // namespace

int format_printf_subset(char* out, std::size_t size, const char* format, std::va_list args) {
  Output o{out, size};
  for (const char* p = format; *p; ++p) {
    if (*p != '%') {
      o.put(*p);
      continue;
    }
    ++p;
    bool left = false, zero = false;
    for (;; ++p) {
      if (*p == '-') left = true;
      else if (*p == '0') zero = true;
      else break;
    }
    long width = 0, precision = -1;
    while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
    if (*p == '.') {
      precision = 0;
      for (++p; *p >= '0' && *p <= '9'; ++p) precision = precision * 10 + (*p - '0');
    }
    int length = 0;  // 0 int, 1 long, 2 long long / size_t / intmax_t / ptrdiff_t
    int narrow = 0;  // 1 short (h), 2 char (hh): the int argument is converted
    while (*p == 'h' || *p == 'l' || *p == 'z' || *p == 'j' || *p == 't') {
      if (*p == 'l') ++length;
      else if (*p == 'h') ++narrow;
      else length = 2;
      ++p;
    }
    char digits[24];
    int count = 0;
    const char* text = digits;
    const char* sign = "";
    switch (*p) {
      case '%':
        o.put('%');
        continue;
      case 'c':
        digits[0] = static_cast<char>(va_arg(args, int));
        count = 1;
        zero = false;
        precision = -1;
        break;
      case 's': {
        text = va_arg(args, const char*);
        std::size_t n = std::strlen(text);
        if (precision >= 0 && static_cast<std::size_t>(precision) < n) n = static_cast<std::size_t>(precision);
        count = static_cast<int>(n);
        zero = false;
        precision = -1;
        break;
      }
      case 'p':
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X': {
        bool is_signed = *p == 'd' || *p == 'i';
        std::uint64_t magnitude;
        if (*p == 'p') {
          // As glibc: "0x" and the address in hex, "(nil)" for null.
          magnitude = reinterpret_cast<std::uintptr_t>(va_arg(args, void*));
          if (magnitude == 0) {
            text = "(nil)";
            count = 5;
            zero = false;
            precision = -1;
            break;
          }
          sign = "0x";
        } else if (is_signed) {
          std::int64_t v = length == 0 ? va_arg(args, int) : length == 1 ? va_arg(args, long) : va_arg(args, long long);
          if (length == 0 && narrow == 1) v = static_cast<short>(v);
          if (length == 0 && narrow >= 2) v = static_cast<signed char>(v);
          if (v < 0) sign = "-";
          magnitude = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
        } else {
          magnitude = length == 0 ? va_arg(args, unsigned) : length == 1 ? va_arg(args, unsigned long)
                                                                          : va_arg(args, unsigned long long);
          if (length == 0 && narrow == 1) magnitude = static_cast<unsigned short>(magnitude);
          if (length == 0 && narrow >= 2) magnitude = static_cast<unsigned char>(magnitude);
        }
        unsigned base = (*p == 'x' || *p == 'X' || *p == 'p') ? 16 : 10;
        const char* alphabet = *p == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
        char reversed[24];
        int n = 0;
        // A precision of 0 prints nothing for the value 0, as C says.
        while (magnitude != 0) {
          reversed[n++] = alphabet[magnitude % base];
          magnitude /= base;
        }
        if (n == 0 && precision != 0) reversed[n++] = '0';
        for (int i = 0; i < n; ++i) digits[i] = reversed[n - 1 - i];
        count = n;
        break;
      }
      default:
        return -1;  // outside the subset
    }
    // Precision pads integers with zeros; the '0' flag pads the width with
    // zeros after the sign unless there is a precision or a '-' flag.
    long zeros = precision > count ? precision - count : 0;
    long body = static_cast<long>(std::strlen(sign)) + zeros + count;
    long padding = width > body ? width - body : 0;
    if (zero && !left && precision < 0) {
      zeros += padding;
      padding = 0;
    }
    if (!left) o.repeat(' ', padding);
    for (const char* s = sign; *s; ++s) o.put(*s);
    o.repeat('0', zeros);
    for (int i = 0; i < count; ++i) o.put(text[i]);
    if (left) o.repeat(' ', padding);
  }
  if (size > 0) out[o.length < size ? o.length : size - 1] = '\0';
  return static_cast<int>(o.length);
}

}  // namespace vouch

#ifdef __EMSCRIPTEN__
// nlohmann/json ("<U+%.4X>" in parse errors, "\\u%04x" when dumping control
// characters) and libc++ ("Unknown error %d") call snprintf; only under
// Emscripten, where these replace musl's (natively glibc's stay).
extern "C" int vsnprintf(char* out, std::size_t size, const char* format, std::va_list args) {
  return vouch::format_printf_subset(out, size, format, args);
}
extern "C" int snprintf(char* out, std::size_t size, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  int n = vouch::format_printf_subset(out, size, format, args);
  va_end(args);
  return n;
}
// Embind's type names for its error messages ("%p": LLVM calls sprintf
// without floating point siprintf): without these, musl's sprintf would bring
// its own vsnprintf in beside ours.
extern "C" int sprintf(char* out, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  int n = vouch::format_printf_subset(out, SIZE_MAX, format, args);
  va_end(args);
  return n;
}
extern "C" int siprintf(char* out, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  int n = vouch::format_printf_subset(out, SIZE_MAX, format, args);
  va_end(args);
  return n;
}
#endif
