#pragma once
// The part of printf that nlohmann/json and libc++ use in the wasm modules:
// %d %i %u %x %X %c %s %p %% with the '-' and '0' flags, a width, a precision
// and the hh/h/l/ll/z/j/t length modifiers. Under Emscripten it is the
// module's snprintf/vsnprintf (printf_subset.cpp), which keeps musl's
// printf_core (~7 KB of code) out of the storefront module's size budget
// (and its sprintf, for Embind's %p).
#include <cstdarg>
#include <cstddef>

namespace vouch {

// vsnprintf for the subset above, with C's contract: writes at most `size`
// bytes including the terminating NUL and returns the length the whole text
// would have. -1 for a conversion outside the subset (nothing is guessed).
int format_printf_subset(char* out, std::size_t size, const char* format, std::va_list args);

}  // namespace vouch
