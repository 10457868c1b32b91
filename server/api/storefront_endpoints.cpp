// What the storefront and the dashboard load (docs/server.md, "Public
// documents"): the public documents of the current set (strong ETag, gzip
// computed once per version, cacheable), any page of a product's social
// proof, the roster (admin), the demo shop's catalogue and the static files.
#include <charconv>

#include "backend.hpp"
#include "feed/feed_write.hpp"
#include "http_responses.hpp"
#include "social_proof/documents.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

// The dashboard's pages: nothing but its own files, never in a frame. The
// find page compiles the wasm engine ('wasm-unsafe-eval'); the favicon is a
// data: URL.
constexpr const char* kAdminContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// The creator portal's: the dashboard's, without WebAssembly (it runs none).
constexpr const char* kPortalContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// A query-string value as the engine's query expects it: integers and
// booleans as JSON, anything else as the text it is (the engine then names
// the fault: query.invalid_type at /limit).
json integer_or_text(const std::string& text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size() && !text.empty()) return n;
  return text;
}

json boolean_or_text(const std::string& text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return text;
}

// NAME of /v1/products/NAME.json back to the product id ("" when NAME is not
// the canonical document_name of any id).
std::string product_id_of(const std::string& name) {
  std::string id;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '~') {
      id += name[i];
      continue;
    }
    if (i + 2 >= name.size()) return {};
    unsigned value = 0;
    auto [end, ec] = std::from_chars(name.data() + i + 1, name.data() + i + 3, value, 16);
    if (ec != std::errc() || end != name.data() + i + 3) return {};
    id += static_cast<char>(value);
    i += 2;
  }
  return document_name(id) == name ? id : std::string();  // one name per id
}

HttpError not_found() { return HttpError(404, "http.not_found", "nothing is served at this path"); }

HttpError building() {
  return HttpError(503, {"documents.building", "", "the storefront documents are being built; retry in a second"},
                   {{"Retry-After", "1"}});
}

// The product a document path names ("products/NAME.json", "badges/NAME.json",
// "products/NAME/reviews.json"), "" for store.json or a name of no id.
std::string product_of_path(const std::string& path) {
  std::string name = path.substr(path.find('/') + 1);
  name = name.substr(0, name.find('/'));
  if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) name.resize(name.size() - 5);
  return path == "store.json" ? std::string() : product_id_of(name);
}

}  // namespace

void get_health(Backend&, Call& call) { send_json(call.res, 200, {{"status", "ok"}}); }

// A stored document: 503 while a product the catalogue has (or store.json)
// is not built yet, 404 for what the catalogue does not have.
void get_document(Backend& b, Call& call) {
  const std::string path = call.capture(1);
  auto document = b.store.document(path);
  if (!document) {
    std::string product = product_of_path(path);
    if (path == "store.json" || (!product.empty() && b.store.product_body(product))) throw building();
    throw not_found();
  }
  call.res.set_header("Cache-Control", kPublicCacheControl);
  send_cached(call.req, call.res, document->etag, document->gzip, nullptr);
}

void get_social_proof_page(Backend& b, Call& call) {
  std::string product = product_id_of(call.capture(1));
  if (product.empty()) throw not_found();
  const httplib::Request& req = call.req;
  json query = {{"product", product}, {"moderation_lists", false}};
  for (const char* key : {"sort", "locale", "via"})
    if (req.has_param(key)) query[key] = req.get_param_value(key);
  for (const char* key : {"offset", "limit", "min_rating"})
    if (req.has_param(key)) query[key] = integer_or_text(req.get_param_value(key));
  for (const char* key : {"verified_only", "with_media"})
    if (req.has_param(key)) query[key] = boolean_or_text(req.get_param_value(key));
  auto page = b.pages.page(product, query);
  if (!page) throw not_found();
  call.res.set_header("Cache-Control", kPublicCacheControl);
  send_cached(req, call.res, page->etag, page->gzip_body, &page->body);
}

// The store, products, influencers with every private field, and
// endorsements: what the dashboard's matching needs.
void get_roster(Backend& b, Call& call) {
  auto roster = b.catalogue.roster();
  call.res.set_header("Cache-Control", "private, no-cache");
  send_cached(call.req, call.res, roster->etag, roster->gzip_body, nullptr);
}

// The demo shop's own catalogue (public product fields).
void get_demo_catalog(Backend& b, Call& call) {
  auto body = b.catalogue.demo_catalog();
  call.res.set_header("Cache-Control", "no-cache");
  send_cached(call.req, call.res, body->etag, body->gzip_body, &body->body);
}

// The widget, the demo and the dashboard (static_files.hpp). A shop on
// another origin (--allow-origin) imports the widget, its worker and the
// engine with CORS (module scripts, the wasm fetch): the route's CORS.
void get_static(Backend& b, Call& call) {
  const std::string& path = call.req.path;
  httplib::Response& res = call.res;
  if (path == "/admin" || path.rfind("/admin/", 0) == 0) {
    res.set_header("Content-Security-Policy", kAdminContentSecurityPolicy);
    res.set_header("X-Frame-Options", "DENY");
  }
  if (path == "/portal" || path.rfind("/portal/", 0) == 0) {
    res.set_header("Content-Security-Policy", kPortalContentSecurityPolicy);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "same-origin");
  }
  std::shared_ptr<const StaticFile> file;
  std::string location;
  switch (b.static_files.find(path, file, location)) {
    case StaticFiles::Result::Redirect:
      res.set_redirect(location, 301);
      return;
    case StaticFiles::Result::NotFound:
      throw not_found();
    case StaticFiles::Result::Found:
      break;
  }
  res.set_header("ETag", file->etag);
  res.set_header("Cache-Control", file->cache_control);
  res.set_header("Vary", "Accept-Encoding");
  if (etag_matches(call.req.get_header_value("If-None-Match"), file->etag)) {
    res.status = 304;
    return;
  }
  res.status = 200;
  if (!file->gzip_body.empty() && call.req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(file->gzip_body, file->content_type);
  } else {
    res.set_content(file->body, file->content_type);
  }
}

}  // namespace vouch::server
