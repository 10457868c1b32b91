#include "feed/feed_write.hpp"

#include "common/json_output.hpp"

namespace vouch {

namespace {

using nlohmann::json;

json strings(const std::vector<std::string>& values) {
  json out = json::array();
  for (const auto& v : values) out.push_back(v);
  return out;
}

json distribution(const Distribution& shares) {
  json out = json::object();
  for (const auto& [key, share] : shares) out[key] = share;
  return out;
}

void put_money(json& out, const char* amount_key, const Money& money) {
  put_number(out, amount_key, to_major_units(money.minor, money.currency));
  put_string(out, "currency", money.currency);
}

}  // namespace

json to_json(const Store& store) {
  json out = json::object();
  put_string(out, "id", store.id);
  put_string(out, "name", store.name);
  put_string(out, "currency", store.currency);
  put_string(out, "locale", store.locale);
  return out;
}

json to_json(const Product& product) {
  json out = json::object();
  put_string(out, "id", product.id);
  put_string(out, "title", product.title);
  put_string(out, "url", product.url);
  put_string(out, "image", product.image);
  put_money(out, "price", product.price);
  put_string(out, "category", product.category);
  put(out, "tags", strings(product.tags));
  return out;
}

json public_card_json(const Influencer& influencer) {
  json out = json::object();
  put_string(out, "id", influencer.id);
  put_string(out, "handle", influencer.handle);
  put_string(out, "name", influencer.name);
  put_string(out, "platform", influencer.platform);
  put_string(out, "avatar", influencer.avatar);
  put_string(out, "profile_url", influencer.profile_url);
  put_int(out, "followers", influencer.followers);
  put(out, "codes", strings(influencer.codes));
  return out;
}

json to_json(const Influencer& influencer) {
  json out = public_card_json(influencer);
  put_int(out, "following", influencer.following);
  json niches = json::object();
  for (const auto& [niche, weight] : influencer.niches) niches[niche] = weight;
  put(out, "niches", std::move(niches));
  json audience = json::object();
  put(audience, "countries", distribution(influencer.audience.countries));
  put(audience, "ages", distribution(influencer.audience.ages));
  put(audience, "genders", distribution(influencer.audience.genders));
  put(out, "audience", std::move(audience));
  json posts = json::array();
  for (const Post& p : influencer.recent_posts) {
    json post = json::object();
    put_string(post, "at", format_rfc3339(p.at));
    put_int(post, "likes", p.likes);
    put_int(post, "comments", p.comments);
    put_int(post, "shares", p.shares);
    put_int(post, "views", p.views);
    put_bool(post, "sponsored", p.sponsored);
    posts.push_back(std::move(post));
  }
  put(out, "recent_posts", std::move(posts));
  json history = json::array();
  for (const FollowerCount& c : influencer.follower_history) {
    json count = json::object();
    put_string(count, "date", format_date(c.date));
    put_int(count, "followers", c.followers);
    history.push_back(std::move(count));
  }
  put(out, "follower_history", std::move(history));
  if (influencer.rate) {
    json rate = json::object();
    put_money(rate, "amount", influencer.rate->amount);
    put_string(rate, "per", influencer.rate->per);
    put(out, "rate", std::move(rate));
  }
  put(out, "customer_hashes", strings(influencer.customer_hashes));
  return out;
}

json to_json(const Endorsement& endorsement) {
  json out = json::object();
  put_string(out, "id", endorsement.id);
  put_string(out, "influencer", endorsement.influencer);
  put_string(out, "product", endorsement.product);
  put_string(out, "url", endorsement.url);
  put_string(out, "quote", endorsement.quote);
  put_string(out, "media", endorsement.media);
  put_string(out, "at", format_rfc3339(endorsement.at));
  put_int(out, "likes", endorsement.likes);
  put_int(out, "comments", endorsement.comments);
  return out;
}

json to_json(const Ugc& ugc) {
  json author = json::object();
  put_string(author, "name", ugc.author.name);
  put_bool(author, "verified_buyer", ugc.author.verified_buyer);
  put_string_or_null(author, "influencer", ugc.author.influencer ? &*ugc.author.influencer : nullptr);
  json media = json::array();
  for (const Media& m : ugc.media) {
    json one = json::object();
    put_string(one, "type", m.type);
    put_string(one, "url", m.url);
    put_string(one, "alt", m.alt);
    media.push_back(std::move(one));
  }
  json out = json::object();
  put_string(out, "id", ugc.id);
  put_string(out, "product", ugc.product);
  put_string(out, "kind", to_string(ugc.kind));
  put(out, "author", std::move(author));
  put(out, "rating", ugc.rating ? json(*ugc.rating) : json(nullptr));
  put_string(out, "title", ugc.title);
  put_string(out, "body", ugc.body);
  put(out, "media", std::move(media));
  put_string(out, "at", format_rfc3339(ugc.at));
  put_int(out, "helpful", ugc.helpful);
  put_int(out, "unhelpful", ugc.unhelpful);
  put_string(out, "locale", ugc.locale);
  put_string(out, "status", to_string(ugc.status));
  return out;
}

}  // namespace vouch
