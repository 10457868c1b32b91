// A review a shopper writes: read by the feed's own UGC reader (read_ugc in
// feed_json.cpp: one definition of a review) with review.* codes, the
// submission's envelope and limits on top; and the verified-buyer token's
// format (the HMAC itself is the server's, with OpenSSL).
#include "feed/review_submission.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "input/fields.hpp"
#include "input/json_tape.hpp"

namespace vouch {

namespace {

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool blank(std::string_view text) { return text.find_first_not_of(" \t\r\n") == std::string_view::npos; }

void record_text(JsonRecorder& out, std::string key, std::string value) {
  out.key(key);
  out.string(value);
}

// The UGC item a feed would hold for the submission: the fields a shopper
// writes, copied; the rest set as the server sets them. Any other field is
// reported (the server's own ones are refused, not trusted).
void record_review_item(const JsonValue& body, Timestamp now, JsonTape& item, Faults& faults) {
  constexpr std::string_view kServerSets = " id kind at status helpful unhelpful media ";
  constexpr std::string_view kShopperWrites = " product rating title body locale author ";
  constexpr std::string_view kEnvelope = " client_id token visitor photos ";
  auto among = [](std::string_view words, std::string_view key) {
    std::string word(1, ' ');
    word.append(key).push_back(' ');
    return words.find(word) != std::string_view::npos;
  };
  JsonLimits limits;
  limits.max_depth = SIZE_MAX;
  JsonRecorder out(item, limits);
  out.start_object(0);
  for (auto [key, value] : body.members()) {
    std::string p = child_path("", key);
    if (among(kShopperWrites, key)) {
      std::string name(key);
      out.key(name);
      record_value(value, out);
    } else if (!among(kEnvelope, key)) {
      faults.add("unknown_field", p,
                 readable_path(p) + (among(kServerSets, key) ? " is set by the server, not sent"
                                                            : " is not a field of a review (client_id, product, rating, "
                                                              "title, body, author, locale, token, visitor, photos)"));
    }
    if (key != "author") continue;
    for (auto [field, v] : value.members())
      if (field != "name")
        faults.add("unknown_field", child_path(p, field),
                   readable_path(child_path(p, field)) +
                       (field == "verified_buyer" || field == "influencer" ? " is decided by the server, not sent"
                                                                           : " is not a field of a review's author (only name is)"));
  }
  record_text(out, "id", "rv-new");  // named by the server; a valid id so the reader says nothing about it
  record_text(out, "kind", "review");
  record_text(out, "at", format_rfc3339(now));
  record_text(out, "status", "pending");
  out.end_object();
}

// client_id, token, visitor and photos: what comes with the item.
void read_review_envelope(const JsonValue& body, const ReviewLimits& limits, ReviewSubmission& review, Faults& faults) {
  auto client_id = body.find("client_id");
  if (!client_id || client_id->is_null())
    faults.add("missing_field", "/client_id",
               "client_id is required (a random id made once per review, so that a retry is not a second review)");
  else if (!client_id->is_string() || !is_visible_ascii(client_id->string(), 64))
    faults.add("invalid_value", "/client_id",
               "client_id must be 1 to 64 visible ASCII characters, got " + describe_json_value(*client_id));
  else
    review.client_id = client_id->string();
  if (auto token = body.find("token"); token && !token->is_null()) {
    if (!token->is_string() || token->string().size() > 256)
      faults.add("invalid_type", "/token",
                 "token must be a review token (a string of at most 256 bytes), got " + describe_json_value(*token));
    else
      review.token = token->string();
  }
  if (auto visitor = body.find("visitor"); visitor && !visitor->is_null()) {
    if (!visitor->is_string() || !is_visible_ascii(visitor->string(), kMaxReferenceBytes))
      faults.add("invalid_value", "/visitor",
                 "visitor must be 1 to 128 visible ASCII characters, got " + describe_json_value(*visitor));
    else
      review.visitor = visitor->string();
  }
  auto photos = body.find("photos");
  if (!photos || photos->is_null()) return;
  auto is_name = [](const JsonValue& v) {
    if (!v.is_string() || v.string().size() != 32) return false;
    return std::all_of(v.string().begin(), v.string().end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  };
  if (!photos->is_array()) {
    faults.add("invalid_type", "/photos", "photos must be an array of photo names, got " + describe_json_value(*photos));
  } else if (photos->size() > limits.max_photos) {
    faults.add("too_long", "/photos",
               "a review may have at most " + std::to_string(limits.max_photos) + " photos, got " +
                   std::to_string(photos->size()));
  } else {
    std::size_t i = 0;
    for (JsonValue photo : photos->elements()) {
      if (is_name(photo))
        review.photos.emplace_back(photo.string());
      else
        faults.add("invalid_value", child_path("/photos", i),
                   "photos[" + std::to_string(i) + "] must be the name of an uploaded photo (32 hex digits), got " +
                       describe_json_value(photo));
      ++i;
    }
  }
}

// The submission's own limits on the item's text, and its product.
void check_review_item(const JsonValue& body, const Ugc& u, const Feed& feed, const ReviewLimits& limits,
                       Faults& faults) {
  auto text = [&](const std::string& p, const std::string& value, std::size_t max, bool required) {
    if (required && blank(value) && !value.empty())
      faults.add("missing_field", p, readable_path(p) + " must not be blank");
    else if (code_points(value) > max)
      faults.add("too_long", p,
                 readable_path(p) + " is " + std::to_string(code_points(value)) + " characters long; at most " +
                     std::to_string(max) + " are allowed");
  };
  text("/title", u.title, limits.max_title, false);
  std::optional<JsonValue> written = body.find("body");
  if (!written)
    faults.add("missing_field", "/body", "body is required");
  else if (u.body.empty() && written->is_string())
    faults.add("missing_field", "/body", "body must not be empty");
  text("/body", u.body, limits.max_body, true);
  text("/author/name", u.author.name, limits.max_name, true);
  if (!u.product.empty() && !feed.find_product(u.product))
    faults.add("unknown_product", "/product", "the store has no product " + quote_for_message(u.product));
}

}  // namespace

ReviewSubmissionResult read_review_submission(const JsonValue& body, const Feed& feed, Timestamp now,
                                              const ReviewLimits& limits) {
  ReviewSubmissionResult out;
  if (!body.is_object()) {
    out.errors.push_back(
        {"review.not_object", "", "the review must be a JSON object, got " + describe_json_value(body)});
    return out;
  }
  // The feed's own UGC reader, reporting review.* codes: one definition of a review.
  Faults faults(kReviewVocabulary, FaultPolicy::All);
  JsonTape item;
  record_review_item(body, now, item, faults);
  FieldReader reader(faults);
  Ugc u = read_ugc(item.root(), "", reader);
  u.id.clear();
  u.author.verified_buyer = false;
  ReviewSubmission review;
  read_review_envelope(body, limits, review, faults);
  check_review_item(body, u, feed, limits, faults);
  if (faults.any()) {
    out.errors = faults.take();
    return out;
  }
  review.item = std::move(u);
  out.review = std::move(review);
  return out;
}

ReviewSubmissionResult read_review_submission(const nlohmann::json& body, const Feed& feed, Timestamp now,
                                              const ReviewLimits& limits) {
  JsonTape tape;
  record_json(body, tape);
  return read_review_submission(tape.root(), feed, now, limits);
}

// --- verified-buyer review tokens ---

namespace {

constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// RFC 4648 §5, without padding.
std::string base64url_encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Url[(buffer << (6 - bits)) & 63];
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    auto v = kBase64Url.find(c);
    if (v == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  // Only the canonical encoding: the unused low bits are zero.
  if (bits >= 6 || (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string review_token_message(std::string_view order_id, std::vector<std::string> products) {
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  std::string text = "vouch-review-token/1\n";
  auto field = [&text](std::string_view s) {
    text += std::to_string(s.size());
    text += ':';
    text += s;
    text += '\n';
  };
  field(order_id);
  for (const auto& p : products) field(p);
  return text;
}

std::vector<std::string> order_product_ids(const nlohmann::json& order) {
  std::vector<std::string> products;
  if (order.is_object() && order.contains("items") && order["items"].is_array())
    for (const auto& item : order["items"])
      if (item.is_object() && item.contains("product") && item["product"].is_string())
        products.push_back(item["product"].get<std::string>());
  std::sort(products.begin(), products.end());
  products.erase(std::unique(products.begin(), products.end()), products.end());
  return products;
}

std::string format_review_token(std::string_view order_id, std::string_view mac_hex) {
  return base64url_encode(order_id) + "." + std::string(mac_hex);
}

std::optional<ParsedReviewToken> parse_review_token(std::string_view token) {
  auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  std::string_view mac = token.substr(dot + 1);
  if (mac.size() != 32) return std::nullopt;
  for (char c : mac)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  auto order_id = base64url_decode(token.substr(0, dot));
  if (!order_id || order_id->empty() || order_id->size() > 128) return std::nullopt;
  return ParsedReviewToken{*order_id, std::string(mac)};
}

}  // namespace vouch
