#pragma once
// The few cryptographic facts the server needs, all from OpenSSL.
#include <istream>
#include <string>
#include <string_view>

namespace vouch::server {

// Lower-case hex of HMAC-SHA256(key, data) (RFC 2104).
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Standard base64 (RFC 4648, padded) of HMAC-SHA256(key, data): how Shopify
// and WooCommerce sign their webhooks.
std::string hmac_sha256_base64(std::string_view key, std::string_view data);

// Lower-case hex of SHA-256(data).
std::string sha256_hex(std::string_view data);
// The same of everything `in` still holds, read in chunks.
std::string sha256_hex(std::istream& in);

// Compares two secrets in time independent of where they differ
// (CRYPTO_memcmp). Both are hashed first, so the length leaks nothing either.
bool constant_time_equal(std::string_view a, std::string_view b);

// data compressed as a gzip member (RFC 1952) by zlib at level 9: done once
// per feed version or static file, so the smallest output is worth its time
// (scripts/sizes.mjs measures the same level).
std::string gzip(std::string_view data);
// A gzip member back to its bytes ("" when it is not one).
std::string inflate_gzip(std::string_view compressed);

// A strong HTTP ETag for a body: the first 128 bits of its SHA-256 in hex,
// quoted.
std::string strong_etag(std::string_view body);

// `bytes` random bytes from the OS CSPRNG (RAND_bytes), as lower-case hex.
std::string random_hex(std::size_t bytes);

}  // namespace vouch::server
