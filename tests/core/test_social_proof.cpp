// Social-proof selection: named scenarios with orders and numbers worked out
// by hand in the comments (never copied from a run).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "feed/generate.hpp"
#include "social_proof/moderation.hpp"
#include "social_proof/near_duplicates.hpp"
#include "social_proof/signals.hpp"
#include "social_proof/social_proof.hpp"

using nlohmann::json;
using namespace vouch;

namespace {

constexpr Timestamp kNow = 1793491200;  // 2026-11-01T00:00:00Z
constexpr const char* kNowText = "2026-11-01T00:00:00Z";

// "r1w0 r1w1 ...": n words no other item shares, so items never look alike.
std::string words(const std::string& id, int n) {
  std::string stem;
  for (char c : id)
    if (c != '-') stem += c;
  std::string s;
  for (int k = 0; k < n; ++k) s += (k ? " " : "") + stem + "w" + std::to_string(k);
  return s;
}

// A published five-star English review of sku-1 by its own author, 20 words,
// written a week before kNow, no votes, unverified.
Ugc review(const std::string& id) {
  Ugc u;
  u.id = id;
  u.product = "sku-1";
  u.kind = UgcKind::Review;
  u.author.name = "Author " + id;
  u.rating = 5;
  u.body = words(id, 20);
  u.at = kNow - 7 * kSecondsPerDay;
  u.locale = "en";
  return u;
}

Feed make_feed(std::vector<Ugc> ugc) {
  Feed f;
  f.store = {"demo", "Trail & Co", "USD", "en-US"};
  f.products.push_back({"sku-1", "Ridgeline Boot", "/p/sku-1", "", {12900, "USD"}, "footwear/hiking", {}});
  f.products.push_back({"sku-2", "Summit Runner", "/p/sku-2", "", {9900, "USD"}, "footwear/running", {}});
  Influencer tess;
  tess.id = "inf-7";
  tess.handle = "trailtess";
  tess.name = "Tess R.";
  tess.codes = {"TESS10"};
  Influencer max;
  max.id = "inf-8";
  max.handle = "maxmiles";
  max.name = "Max M.";
  f.influencers = {tess, max};
  f.ugc = std::move(ugc);
  f.reindex();
  return f;
}

json query(json extra = json::object()) {
  json q = {{"product", "sku-1"}, {"now", kNowText}};
  q.update(extra);
  return q;
}

std::vector<std::string> ids(const json& out) {
  std::vector<std::string> v;
  for (const auto& item : out["items"]) v.push_back(item["id"]);
  return v;
}

std::vector<std::string> ids_of(const json& array) {
  std::vector<std::string> v;
  for (const auto& item : array) v.push_back(item["id"]);
  return v;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("The Wilson lower bound matches hand computation", "[social_proof][signals]") {
  // z² = 3.8416. 10/0: p = 1, n = 10: (1 + 0.19208 − 1.96·sqrt(0.0009604·10)) / 1.38416
  //   = (1.19208 − 1.96·0.098) / 1.38416 = 1 / 1.38416 = 0.722460
  CHECK(wilson_lower_bound(10, 0) == Approx(0.722460).margin(1e-6));
  // 1/0: (1 + 1.9208 − 1.96·0.98) / 4.8416 = 1 / 4.8416 = 0.206543
  CHECK(wilson_lower_bound(1, 0) == Approx(0.206543).margin(1e-6));
  // 40/2: p = 0.952381, z²/2n = 0.045733, p(1−p)/n + z²/4n² = 0.0010798 + 0.0005444,
  //   margin = 1.96·0.040302 = 0.078992; (0.952381 + 0.045733 − 0.078992) / 1.091467 = 0.842095
  CHECK(wilson_lower_bound(40, 2) == Approx(0.842095).margin(1e-5));
  // 50/50: (0.5 + 0.019208 − 1.96·sqrt(0.0025 + 0.00009604)) / 1.038416 = 0.419343 / 1.038416 = 0.403830
  CHECK(wilson_lower_bound(50, 50) == Approx(0.403830).margin(1e-5));
  CHECK(wilson_lower_bound(0, 0) == 0.0);
}

TEST_CASE("Recency, text, locale and Bayesian mean follow their formulas", "[social_proof][signals]") {
  SECTION("one half-life halves the weight, two quarter it, the future counts as new") {
    CHECK(recency_weight(kNow - 180 * kSecondsPerDay, kNow) == Approx(0.5));
    CHECK(recency_weight(kNow - 360 * kSecondsPerDay, kNow) == Approx(0.25));
    CHECK(recency_weight(kNow + 100, kNow) == 1.0);
  }
  SECTION("informative text has diminishing returns and walls of text are penalised") {
    CHECK(text_informativeness(0) == 0.0);
    CHECK(text_informativeness(25) == Approx(0.632121).margin(1e-6));  // 1 − e^−1
    // 300 words: (1 − e^−12) · 150/300 = 0.499997
    CHECK(text_informativeness(300) == Approx(0.499997).margin(1e-6));
    CHECK(count_words("Don't stop: 3 km, très bien!") == 6);
  }
  SECTION("the same tag matches fully, the same language mostly") {
    CHECK(locale_match("fr-CA", "fr-ca") == 1.0);
    CHECK(locale_match("en", "en-US") == 0.8);
    CHECK(locale_match("de", "en-US") == 0.0);
    CHECK(locale_match("", "en-US") == 0.0);
  }
  SECTION("the Bayesian mean shrinks towards the prior") {
    // (5·4 + 9) / (5 + 2) = 29 / 7 = 4.142857
    CHECK(bayesian_average(9, 2, 4.0, 5.0) == Approx(4.142857).margin(1e-6));
  }
}

TEST_CASE("A relevance score adds up its weighted signals", "[social_proof][scoring]") {
  Ugc u = review("r-1");
  u.author.verified_buyer = true;
  u.helpful = 10;
  u.body = words("r-1", 25);
  u.at = kNow - 180 * kSecondsPerDay;
  // verified 0.15 + helpful 0.15·0.722460 + text 0.15·0.632121 + recency 0.25·0.5
  // + locale 0.15·0.8 ("en" for an "en-US" store) = 0.15 + 0.108369 + 0.094818
  // + 0.125 + 0.12 = 0.598187
  json out = social_proof_json(make_feed({u}), query());
  CHECK(out["items"][0]["score"] == Approx(0.598187).margin(1e-6));
  CHECK(out["items"][0]["reasons"] ==
        json(Strings{"verified buyer", "10 of 10 found it helpful", "detailed (25 words)", "in your language (en)"}));
}

TEST_CASE("Trust, helpfulness and recency order otherwise equal reviews", "[social_proof][scoring]") {
  SECTION("a verified buyer beats an unverified one at equal else") {
    Ugc a = review("r-a"), b = review("r-b");
    b.author.verified_buyer = true;
    json out = social_proof_json(make_feed({a, b}), query());
    CHECK(ids(out) == Strings{"r-b", "r-a"});
    // The only difference is the verified weight, 0.15.
    CHECK(out["items"][0]["score"].get<double>() - out["items"][1]["score"].get<double>() ==
          Approx(0.15).margin(2e-6));
  }
  SECTION("10/0 votes beat 1/0, and 40/2 beats 50/50") {
    Ugc one = review("r-1"), ten = review("r-2"), forty = review("r-3"), fifty = review("r-4");
    one.helpful = 1;
    ten.helpful = 10;
    forty.helpful = 40, forty.unhelpful = 2;
    fifty.helpful = 50, fifty.unhelpful = 50;
    // Wilson: 40/2 0.842 > 10/0 0.722 > 50/50 0.404 > 1/0 0.207 (the raw
    // difference would put 50/50 (0) below 1/0 (1) and 40/2 (38) far on top;
    // the ratio would tie 1/0 with 10/0).
    Feed feed = make_feed({one, ten, forty, fifty});
    CHECK(ids(social_proof_json(feed, query({{"limit", 3}}))) == Strings{"r-3", "r-2", "r-4"});
    CHECK(ids(social_proof_json(feed, query({{"sort", "helpful"}}))) == Strings{"r-3", "r-2", "r-4", "r-1"});
  }
  SECTION("a two-year-old review loses to last week's at equal else") {
    Ugc old = review("r-old"), fresh = review("r-new");
    old.at = kNow - 730 * kSecondsPerDay;
    // 0.25 · (0.5^(7/180) − 0.5^(730/180)) = 0.25 · (e^−0.026956 − 0.0625·e^−0.038508)
    //   = 0.25 · (0.973404 − 0.060139) = 0.228316 (each score printed to 6 decimals)
    json out = social_proof_json(make_feed({old, fresh}), query());
    CHECK(ids(out) == Strings{"r-new", "r-old"});
    CHECK(out["items"][0]["score"].get<double>() - out["items"][1]["score"].get<double>() ==
          Approx(0.228316).margin(2e-6));
  }
  SECTION("the shopper's own language comes first") {
    Ugc en = review("r-en"), fr = review("r-fr");
    fr.locale = "fr";
    CHECK(ids(social_proof_json(make_feed({en, fr}), query({{"locale", "fr-FR"}}))) == Strings{"r-fr", "r-en"});
    CHECK(ids(social_proof_json(make_feed({en, fr}), query())) == Strings{"r-en", "r-fr"});
  }
}

TEST_CASE("Near-duplicates are never shown together", "[social_proof][diversity]") {
  SECTION("shingles and Jaccard") {
    // 10 words → 8 three-word shingles; one word more → 9, 8 shared: 8/9.
    auto a = word_shingles("the grip is superb on wet rock and dry trail");
    auto b = word_shingles("The grip is superb on wet rock and dry trail. Great.");
    CHECK(a.size() == 8);
    CHECK(b.size() == 9);
    CHECK(jaccard(a, b) == Approx(8.0 / 9.0));
    CHECK(is_near_duplicate(a, b));
    CHECK(jaccard(a, word_shingles("")) == 0.0);
  }
  SECTION("the copy is collapsed out of every page and reported") {
    Ugc original = review("r-1"), copy = review("r-2"), other = review("r-3");
    original.body = "Stayed dry through a full day of rain and the grip is superb on wet rock.";
    copy.body = original.body + " Great.";
    copy.author.verified_buyer = true;  // the copy scores higher, so the original is the one collapsed
    // 16 words → 14 shingles; the copy adds "great": 15, 14 shared → 14/15 = 0.933333.
    for (const char* sort : {"relevant", "newest", "highest", "lowest", "helpful", "media"}) {
      CAPTURE(sort);
      json out = social_proof_json(make_feed({original, copy, other}), query({{"sort", sort}}));
      auto shown = ids(out);
      CHECK(shown.size() == 2);
      bool both = std::count(shown.begin(), shown.end(), "r-1") + std::count(shown.begin(), shown.end(), "r-2") == 2;
      CHECK_FALSE(both);
      REQUIRE(out["collapsed"].size() == 1);
    }
    json out = social_proof_json(make_feed({original, copy, other}), query());
    CHECK(out["collapsed"][0] == json({{"id", "r-1"}, {"duplicate_of", "r-2"}, {"similarity", 0.933333}}));
    CHECK(out["total"] == 3);  // counted before collapsing
  }
}

TEST_CASE("MMR re-ranking spreads kinds and authors", "[social_proof][diversity]") {
  // Three verified reviews by one author and an unverified photo by another,
  // otherwise alike (same words count, date, locale): with b their shared
  // base, reviews score b + 0.15 (verified), the photo b + 0.10 (media).
  // Pick 1: r-1 (highest score, first by id).
  // Pick 2: a review: 0.75·(b + 0.15) − 0.25·(0.7 + 0.3) = 0.75·b − 0.1375;
  //         the photo: 0.75·(b + 0.10) − 0 = 0.75·b + 0.075 → the photo r-9.
  // Pick 3: only reviews are left: r-2.
  std::vector<Ugc> ugc;
  for (const char* id : {"r-1", "r-2", "r-3"}) {
    Ugc u = review(id);
    u.author.name = "Same Person";
    u.author.verified_buyer = true;
    ugc.push_back(u);
  }
  Ugc photo = review("r-9");
  photo.kind = UgcKind::Photo;
  photo.media.push_back({"image", "/img/a.jpg", "boot"});
  ugc.push_back(photo);
  CHECK(ids(social_proof_json(make_feed(ugc), query({{"limit", 3}}))) == Strings{"r-1", "r-9", "r-2"});
  // Sorting by newest does not re-rank: all equal dates, so by id.
  CHECK(ids(social_proof_json(make_feed(ugc), query({{"sort", "newest"}, {"limit", 3}}))) ==
        Strings{"r-1", "r-2", "r-3"});
}

TEST_CASE("A critical review appears on the first page", "[social_proof][balance]") {
  // Six strong five-star reviews (verified, recent) and one old unverified
  // two-star review, which scores lowest of all.
  std::vector<Ugc> ugc;
  for (int i = 1; i <= 6; ++i) {
    Ugc u = review("r-" + std::to_string(i));
    u.author.verified_buyer = true;
    ugc.push_back(u);
  }
  Ugc critical = review("r-9");
  critical.rating = 2;
  critical.at = kNow - 400 * kSecondsPerDay;
  ugc.push_back(critical);
  Feed feed = make_feed(ugc);

  SECTION("with limit 4 it takes the last slot of the page") {
    json out = social_proof_json(feed, query({{"limit", 4}}));
    CHECK(ids(out) == Strings{"r-1", "r-2", "r-3", "r-9"});
    CHECK(out["items"][3]["reasons"][0] == "a critical review, shown for balance");
    // The review it displaced leads the second page.
    CHECK(ids(social_proof_json(feed, query({{"limit", 4}, {"offset", 4}}))) == Strings{"r-4", "r-5", "r-6"});
  }
  SECTION("with limit 3 the order is by score alone") {
    CHECK(ids(social_proof_json(feed, query({{"limit", 3}}))) == Strings{"r-1", "r-2", "r-3"});
  }
  SECTION("an explicit sort is not rearranged") {
    CHECK(ids(social_proof_json(feed, query({{"limit", 4}, {"sort", "highest"}}))) ==
          Strings{"r-1", "r-2", "r-3", "r-4"});
  }
}

TEST_CASE("Only published items ever appear", "[social_proof][moderation]") {
  Ugc shown = review("r-1"), pending = review("r-2"), rejected = review("r-3");
  pending.status = UgcStatus::Pending;
  rejected.status = UgcStatus::Rejected;
  pending.rating = 1;
  rejected.rating = 1;
  json out = social_proof_json(make_feed({shown, pending, rejected}), query());
  CHECK(ids(out) == Strings{"r-1"});
  CHECK(out["total"] == 1);
  CHECK(out["excluded"].empty());
  CHECK(out["summary"]["count"] == 1);
  CHECK(out["summary"]["distribution"]["1"] == 0);
}

TEST_CASE("Contact details are masked", "[social_proof][moderation]") {
  SECTION("e-mail, phone and links") {
    MaskedText m = mask_contact_details(
        "Mail me at dana.k+shop@example.com, call +1 (555) 201-3344 or see https://x.example.com/a?b=1 "
        "and www.deals.net.");
    CHECK(m.text ==
          "Mail me at [email removed], call [phone removed] or see [link removed] and [link removed].");
    CHECK(m.emails == 1);
    CHECK(m.phones == 1);
    CHECK(m.links == 2);
  }
  SECTION("bare domains are links, ordinary text is left alone") {
    CHECK(mask_contact_details("Bought at cheap-boots.shop/sale!").text == "Bought at [link removed]!");
    CHECK(mask_contact_details("Worn since 2025-03-14, 300 miles, $129.99, size 10.5, e.g. fit.Great")
              .text == "Worn since 2025-03-14, 300 miles, $129.99, size 10.5, e.g. fit.Great");
    CHECK(mask_contact_details("whatsapp 555 867 5309, now").text == "whatsapp [phone removed], now");
  }
  SECTION("a shown item carries the masked text") {
    Ugc u = review("r-1");
    u.title = "Questions? write to dana@example.com";
    u.body = "Happy with them. My shop is www.dana-boots.com if you want to compare.";
    json item = social_proof_json(make_feed({u}), query())["items"][0];
    CHECK(item["title"] == "Questions? write to [email removed]");
    CHECK(item["body"] == "Happy with them. My shop is [link removed] if you want to compare.");
  }
}

TEST_CASE("Spam is excluded with its reason", "[social_proof][moderation]") {
  SECTION("the signals add up") {
    // shouting 2 (BUY NOW BEST PRICE EVER WOW: 6 capital words of 7), promo
    // "buy now" + "best price" 2, one link 1: 5 points.
    SpamVerdict v = judge_spam("WOW", "BUY NOW!!! BEST PRICE EVER!!! visit http://cheap.example.com/promo");
    CHECK(v.points == 5);
    CHECK(v.signals == Strings{"shouting", "promo_phrase:buy now", "promo_phrase:best price", "link"});
    CHECK(v.is_spam());
    // repeated characters 1 + see my page 1 + two links 2 = 4.
    SpamVerdict links = judge_spam("", "goooooood see my page https://a.example.com and https://b.example.com");
    CHECK(links.signals == Strings{"repeated_characters", "promo_phrase:see my page", "many_links"});
    CHECK(links.points == 4);
  }
  SECTION("enthusiasm alone is not spam") {
    SpamVerdict v = judge_spam("Love it", "Sooooo comfy!!!!! Best boots I own, GTX works.");
    CHECK(v.points == 1);
    CHECK_FALSE(v.is_spam());
  }
  SECTION("excluded items are listed, not shown, not counted") {
    Ugc good = review("r-1"), spam = review("r-2");
    spam.title = "FREE GIFT CARD";
    spam.body = "CLICK HERE www.free-gift.example.org !!!!!!!!!!";
    json out = social_proof_json(make_feed({good, spam}), query());
    CHECK(ids(out) == Strings{"r-1"});
    CHECK(out["summary"]["count"] == 1);
    REQUIRE(out["excluded"].size() == 1);
    CHECK(out["excluded"][0]["id"] == "r-2");
    CHECK(out["excluded"][0]["reason"] == "spam");
    CHECK(out["excluded"][0]["signals"] ==
          json(Strings{"shouting", "repeated_characters", "promo_phrase:click here", "promo_phrase:free gift",
                       "promo_phrase:gift card", "link"}));
  }
  SECTION("a query without the moderation lists gets the same answer without them") {
    Ugc good = review("r-1"), spam = review("r-2");
    spam.title = "FREE GIFT CARD";
    spam.body = "CLICK HERE www.free-gift.example.org !!!!!!!!!!";
    Feed feed = make_feed({good, spam});
    json full = social_proof_json(feed, query());
    json lean = social_proof_json(feed, query({{"moderation_lists", false}}));
    CHECK_FALSE(lean.contains("excluded"));
    CHECK_FALSE(lean.contains("collapsed"));
    full.erase("excluded");
    full.erase("collapsed");
    CHECK(lean == full);
    CHECK(social_proof_json(feed, query({{"moderation_lists", true}}))["excluded"].size() == 1);
  }
}

TEST_CASE("Markup, event handlers and script-like text are moderation signals", "[social_proof][moderation]") {
  SECTION("injection attempts are excluded") {
    // An <iframe ...> tag: markup 2; "javascript:" script 3: 5 points.
    SpamVerdict iframe = judge_spam("\"><iframe src=javascript:alert('iframe')>", "\"><iframe src=javascript:alert('iframe')>");
    CHECK(iframe.signals == Strings{"markup", "script"});
    CHECK(iframe.points == 5);
    CHECK(iframe.is_spam());
    // Breaking out of a string: no tag, "alert(" script 3 = the threshold.
    SpamVerdict quote = judge_spam("';alert('quote');//", "';alert('quote');//");
    CHECK(quote.signals == Strings{"script"});
    CHECK(quote.points == 3);
    CHECK(quote.is_spam());
    // Hidden after an honest sentence: an event handler (and alert).
    SpamVerdict hidden = judge_spam("Love it!", "Fits true to size. \" onmouseover=\"alert('hover')");
    CHECK(hidden.signals == Strings{"script"});
    CHECK(hidden.is_spam());
    // Markup with a handler, spaces inside the scheme, a self-closing svg.
    CHECK(judge_spam("", "<img src=x onerror=alert(1)>").signals == Strings{"markup", "script"});
    CHECK(judge_spam("", "see java script:void(0)").signals == Strings{"script"});
    CHECK(judge_spam("", "<svg/onload=x>").signals == Strings{"markup", "script"});  // any on...= inside markup
  }
  SECTION("prose that only looks like it is not") {
    CHECK(judge_spam("Love it", "I <3 these. Size < 10 fits.").points == 0);
    CHECK(judge_spam("Good", "Online = cheaper than in the store.").points == 0);  // not a known handler, no markup
    SpamVerdict bold = judge_spam("Good", "My <b>favourite</b> boots.");
    CHECK(bold.signals == Strings{"markup"});
    CHECK(bold.points == 2);
    CHECK_FALSE(bold.is_spam());
  }
}

TEST_CASE("The influencer the shopper came from goes first", "[social_proof][relevance]") {
  Ugc strong = review("r-1");
  strong.author.verified_buyer = true;
  strong.helpful = 40;
  Ugc post = review("r-2");
  post.kind = UgcKind::Post;
  post.author.influencer = "inf-7";
  post.at = kNow - 300 * kSecondsPerDay;
  Ugc other = review("r-3");
  other.kind = UgcKind::Post;
  other.author.influencer = "inf-8";
  Feed feed = make_feed({strong, post, other});
  Endorsement e1{"e-1", "inf-8", "sku-1", "https://s.example/1", "Great boots", "", kNow - kSecondsPerDay, 5000, 300};
  Endorsement e2{"e-2", "inf-7", "sku-1", "https://s.example/2", "Mine too", "", kNow - 200 * kSecondsPerDay, 10, 1};
  Endorsement e3{"e-3", "inf-7", "sku-2", "https://s.example/3", "Other product", "", kNow, 10, 1};
  feed.endorsements = {e1, e2, e3};

  SECTION("by id or by referral code") {
    for (const char* via : {"inf-7", "tess10"}) {
      CAPTURE(via);
      json out = social_proof_json(feed, query({{"via", via}}));
      CHECK(ids(out).front() == "r-2");
      CHECK(out["items"][0]["reasons"][0] == "from @trailtess, who referred you");
      CHECK(out["items"][0]["influencer"]["handle"] == "trailtess");
      CHECK(ids_of(out["endorsements"]) == Strings{"e-2", "e-1"});
      CHECK(out["context"]["via"] == "inf-7");
    }
  }
  SECTION("without via, endorsements rank by engagement and recency") {
    // e-1: 0.6·min(1, log10(1 + 5000 + 900)/5) + 0.4·0.5^(1/180)
    //    = 0.6·(3.770852/5) + 0.4·0.996156 = 0.452502 + 0.398462 = 0.850965
    json out = social_proof_json(feed, query());
    CHECK(ids_of(out["endorsements"]) == Strings{"e-1", "e-2"});
    CHECK(out["endorsements"][0]["score"] == Approx(0.850965).margin(2e-6));
    CHECK(out["endorsements"][0]["handle"] == "maxmiles");
  }
  SECTION("an unknown via is ignored") {
    json out = social_proof_json(feed, query({{"via", "inf-404"}}));
    CHECK(out["context"]["via"] == nullptr);
    CHECK(ids(out).front() == "r-1");
  }
}

TEST_CASE("Every sort and filter", "[social_proof][sorts]") {
  Ugc a = review("r-a"), b = review("r-b"), c = review("r-c"), d = review("r-d"), e = review("r-e");
  a.rating = 4, a.at = kNow - 1 * kSecondsPerDay, a.helpful = 3;
  b.rating = 2, b.at = kNow - 3 * kSecondsPerDay, b.author.verified_buyer = true;
  c.rating = 5, c.at = kNow - 2 * kSecondsPerDay, c.media.push_back({"image", "/c.jpg", ""}), c.helpful = 9,
  c.unhelpful = 1;
  d.kind = UgcKind::Photo, d.rating.reset(), d.at = kNow - 5 * kSecondsPerDay, d.media.push_back({"image", "/d.jpg", ""});
  e.rating = 5, e.at = kNow - 4 * kSecondsPerDay, e.author.verified_buyer = true;
  Feed feed = make_feed({a, b, c, d, e});
  auto order = [&](json extra) { return ids(social_proof_json(feed, query(extra))); };

  CHECK(order({{"sort", "newest"}}) == Strings{"r-a", "r-c", "r-b", "r-e", "r-d"});
  // Highest: 5s (c newer than e), 4, 2, then unrated.
  CHECK(order({{"sort", "highest"}}) == Strings{"r-c", "r-e", "r-a", "r-b", "r-d"});
  CHECK(order({{"sort", "lowest"}}) == Strings{"r-b", "r-a", "r-c", "r-e", "r-d"});
  // Wilson: c 9/1 = 0.596 > a 3/0 = 0.438 > the rest 0 (by id).
  CHECK(order({{"sort", "helpful"}}) == Strings{"r-c", "r-a", "r-b", "r-d", "r-e"});
  // With media first (c and d; c's score is higher: newer, helpful), then by score:
  // e (verified, 4 days) 0.15 + ... > b (verified, 3 days, 2 stars, same words) ?
  // b is newer than e, so b > e; a (1 day, helpful 3/0 → 0.15·0.438 = 0.066 < 0.15) below both.
  CHECK(order({{"sort", "media"}}) == Strings{"r-c", "r-d", "r-b", "r-e", "r-a"});

  CHECK(order({{"sort", "newest"}, {"min_rating", 4}}) == Strings{"r-a", "r-c", "r-e"});
  CHECK(order({{"sort", "newest"}, {"verified_only", true}}) == Strings{"r-b", "r-e"});
  CHECK(order({{"sort", "newest"}, {"with_media", true}}) == Strings{"r-c", "r-d"});

  SECTION("pagination walks the same order") {
    CHECK(order({{"sort", "newest"}, {"limit", 2}}) == Strings{"r-a", "r-c"});
    CHECK(order({{"sort", "newest"}, {"limit", 2}, {"offset", 2}}) == Strings{"r-b", "r-e"});
    CHECK(order({{"sort", "newest"}, {"limit", 2}, {"offset", 4}}) == Strings{"r-d"});
    CHECK(order({{"sort", "newest"}, {"limit", 2}, {"offset", 6}}).empty());
    json out = social_proof_json(feed, query({{"min_rating", 4}, {"limit", 1}}));
    CHECK(out["total"] == 3);
  }
}

TEST_CASE("The summary matches hand computation", "[social_proof][summary]") {
  // sku-1: ratings 5, 4, 4, 2 (3 verified) and an unrated photo;
  // sku-2: 1 and 3; a pending 1 on sku-1 is ignored everywhere.
  std::vector<Ugc> ugc;
  int k = 0;
  for (int rating : {5, 4, 4, 2}) {
    Ugc u = review("r-" + std::to_string(++k));
    u.rating = rating;
    u.author.verified_buyer = rating != 2;
    ugc.push_back(u);
  }
  Ugc photo = review("r-p");
  photo.kind = UgcKind::Photo;
  photo.rating.reset();
  ugc.push_back(photo);
  for (int rating : {1, 3}) {
    Ugc u = review("r-" + std::to_string(++k));
    u.product = "sku-2";
    u.rating = rating;
    ugc.push_back(u);
  }
  Ugc pending = review("r-x");
  pending.rating = 1;
  pending.status = UgcStatus::Pending;
  ugc.push_back(pending);

  json summary = social_proof_json(make_feed(ugc), query())["summary"];
  // count 4, mean 15/4 = 3.75; store prior (5+4+4+2+1+3)/6 = 19/6 = 3.166667;
  // Bayesian (5·19/6 + 15)/(5 + 4) = (15.833333 + 15)/9 = 3.425926; verified 3/4.
  CHECK(summary["count"] == 4);
  CHECK(summary["average"] == 3.75);
  CHECK(summary["prior_mean"] == Approx(3.166667).margin(1e-6));
  CHECK(summary["bayesian_average"] == Approx(3.425926).margin(1e-6));
  CHECK(summary["distribution"] == json({{"1", 0}, {"2", 1}, {"3", 0}, {"4", 2}, {"5", 1}}));
  CHECK(summary["verified_share"] == 0.75);

  SECTION("a product without ratings shows the prior and no mean") {
    json empty = social_proof_json(make_feed({}), query())["summary"];
    CHECK(empty["count"] == 0);
    CHECK(empty["average"] == nullptr);
    CHECK(empty["bayesian_average"] == 3.0);  // no rating in the store: the scale's middle
  }
}

TEST_CASE("Bad queries are refused with a code, a path and a message", "[social_proof][query]") {
  Feed feed = make_feed({review("r-1")});
  auto error_of = [&](const json& q) {
    try {
      social_proof_json(feed, q);
    } catch (const VouchException& e) {
      return e.error();
    }
    return Error{"none", "", ""};
  };
  // One input layer, one wording (issue 32): a type fault shows the value as
  // written ("got \"6\"", "got an array"; the query once said "got string");
  // a time's example, an enumeration's quoted choices and a fraction where an
  // integer goes (a type fault, query.invalid_type: 2.5 once read as an
  // invalid value) are the feed's.
  CHECK(error_of(json::array()) == Error{"query.invalid_type", "", "the query must be a JSON object, got an array"});
  CHECK(error_of({{"now", kNowText}}) == Error{"query.missing_field", "/product", "product is required"});
  CHECK(error_of({{"product", "sku-404"}, {"now", kNowText}}) ==
        Error{"query.unknown_product", "/product", "no product with id \"sku-404\" in the feed"});
  CHECK(error_of({{"product", "sku-1"}}) == Error{"query.missing_field", "/now", "now is required"});
  CHECK(error_of({{"product", "sku-1"}, {"now", "yesterday"}}) ==
        Error{"query.invalid_value", "/now",
              "now must be an RFC 3339 time such as 2026-10-02T17:00:00Z, got \"yesterday\""});
  CHECK(error_of(query({{"limit", 0}})) ==
        Error{"query.invalid_value", "/limit", "limit must be an integer from 1 to 100, got 0"});
  CHECK(error_of(query({{"limit", "6"}})) ==
        Error{"query.invalid_type", "/limit", "limit must be an integer from 1 to 100, got \"6\""});
  CHECK(error_of(query({{"offset", 1001}})) ==
        Error{"query.invalid_value", "/offset", "offset must be an integer from 0 to 1000, got 1001"});
  CHECK(error_of(query({{"sort", "best"}})) ==
        Error{"query.invalid_value", "/sort",
              "sort must be one of \"relevant\", \"newest\", \"highest\", \"lowest\", \"helpful\" or \"media\", "
              "got \"best\""});
  CHECK(error_of(query({{"min_rating", 2.5}})) ==
        Error{"query.invalid_type", "/min_rating", "min_rating must be an integer from 1 to 5, got 2.5"});
  // 3.0 is no integer either (the feed and the brief once read it as 3).
  CHECK(error_of(query({{"limit", 3.0}})) ==
        Error{"query.invalid_type", "/limit", "limit must be an integer from 1 to 100, got 3.0"});
  CHECK(error_of(query({{"verified_only", "yes"}})) ==
        Error{"query.invalid_type", "/verified_only", "verified_only must be true or false, got \"yes\""});
  CHECK(error_of(query({{"moderation_lists", 0}})) ==
        Error{"query.invalid_type", "/moderation_lists", "moderation_lists must be true or false, got 0"});
  // A language tag starts with a letter and holds letters, digits and "-" (a
  // review's rule; the query once also took "_" and a digit first).
  CHECK(error_of(query({{"locale", "fr_CA"}})).code == "query.invalid_value");
  CHECK(error_of(query({{"locale", "en US"}})) ==
        Error{"query.invalid_value", "/locale",
              "locale must be a language tag such as \"en\" or \"fr-CA\", got \"en US\""});
}

TEST_CASE("Same input, same output, whatever the order of the feed", "[social_proof][determinism]") {
  std::vector<Ugc> ugc;
  for (int i = 0; i < 40; ++i) {
    Ugc u = review("r-" + std::to_string(i));
    u.rating = 1 + i % 5;
    u.at = kNow - (i % 7) * kSecondsPerDay;  // many exact ties, broken by id
    u.author.verified_buyer = i % 2 == 0;
    if (i % 9 == 0) u.body = "Same words for several reviews of this boot, copied again and again.";
    ugc.push_back(u);
  }
  for (const char* sort : {"relevant", "newest", "highest", "lowest", "helpful", "media"}) {
    CAPTURE(sort);
    json q = query({{"sort", sort}, {"limit", 10}, {"offset", 3}});
    std::string first = social_proof_json(make_feed(ugc), q).dump();
    CHECK(social_proof_json(make_feed(ugc), q).dump() == first);
    std::vector<Ugc> reversed(ugc.rbegin(), ugc.rend());
    CHECK(social_proof_json(make_feed(reversed), q).dump() == first);
  }
}

TEST_CASE("Partial selection returns what a full sort would", "[social_proof][scale]") {
  // 5,000 items with pseudo-random dates and ratings: the top pages by
  // newest and highest equal the head of a full std::sort done here.
  std::vector<Ugc> ugc;
  SplitMix64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    Ugc u = review("r-" + std::to_string(i));
    u.body = "";  // no text: nothing is a near-duplicate
    u.rating = 1 + static_cast<int>(rng.below(5));
    u.at = kNow - static_cast<Timestamp>(rng.below(100000));
    ugc.push_back(u);
  }
  std::vector<Ugc> by_newest = ugc;
  std::sort(by_newest.begin(), by_newest.end(),
            [](const Ugc& x, const Ugc& y) { return x.at != y.at ? x.at > y.at : x.id < y.id; });
  json out = social_proof_json(make_feed(ugc), query({{"sort", "newest"}, {"limit", 100}, {"offset", 900}}));
  REQUIRE(out["items"].size() == 100);
  for (std::size_t i = 0; i < 100; ++i) CHECK(out["items"][i]["id"] == by_newest[900 + i].id);
  CHECK(out["total"] == 5000);
}

TEST_CASE("A generated store yields the documented shape", "[social_proof][shape]") {
  std::string text;
  generate_feed({}, [&](std::string_view chunk) { text += chunk; });
  FeedLoadResult loaded = load_feed(text);
  REQUIRE(loaded.ok());
  json out = social_proof_json(*loaded.feed, query());
  for (const char* key : {"product", "summary", "items", "endorsements", "total", "excluded"}) CHECK(out.contains(key));
  for (const char* key : {"count", "average", "bayesian_average", "distribution", "verified_share"})
    CHECK(out["summary"].contains(key));
  REQUIRE(out["items"].size() == 6);
  for (const auto& item : out["items"]) {
    for (const char* key : {"id", "score", "reasons", "kind", "rating", "title", "body", "author", "verified",
                            "influencer", "media", "at", "helpful", "unhelpful", "locale"})
      CHECK(item.contains(key));
  }
  bool critical = std::any_of(out["items"].begin(), out["items"].end(),
                              [](const json& i) { return i["rating"].is_number() && i["rating"] <= 3; });
  CHECK(critical);
}
