#include "feed/generate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/time.hpp"

namespace vouch {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double SplitMix64::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::size_t SplitMix64::below(std::size_t n) {
  return n == 0 ? 0 : static_cast<std::size_t>(next() % n);
}

std::string random_hex(SplitMix64& rng, std::size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += kHex[rng.below(16)];
  return s;
}

double SplitMix64::normal() {
  double u1 = 1.0 - uniform();  // (0, 1]
  double u2 = uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

namespace {

using ordered = nlohmann::ordered_json;

struct Niche {
  const char* name;
  const char* category;
  std::array<const char*, 6> products;
  std::array<const char*, 4> tags;
  std::array<const char*, 6> praise;   // "The grip is superb on wet rock."
  std::array<const char*, 4> critique;  // "The laces came undone constantly."
  double min_price, max_price;
};

// Six niches with enough vocabulary that generated reviews read like reviews.
const std::array<Niche, 6> kNiches = {{
    {"hiking", "footwear/hiking",
     {"Ridgeline Waterproof Boot", "Summit Trail Runner", "Switchback Mid GTX", "Alpine Grip Sock",
      "Cairn Trekking Poles", "Basecamp Daypack 24L"},
     {"hiking", "waterproof", "trail", "outdoor"},
     {"The grip is superb on wet rock.", "Stayed dry through a full day of rain.",
      "Comfortable straight out of the box, no blisters.", "Light enough that I forgot about them.",
      "Solid ankle support on rocky descents.", "Held up well after three hundred miles."},
     {"The sizing runs small, order half a size up.", "The laces came undone constantly.",
      "Started leaking at the toe seam after a month.", "Too stiff for anything but long treks."},
     59, 229},
    {"camping", "gear/camping",
     {"Firefly Ultralight Tent", "Ember Camp Stove", "Nightfall Down Sleeping Bag",
      "Pathfinder Headlamp", "Riverside Camp Chair", "Hearth Cast Iron Skillet"},
     {"camping", "ultralight", "outdoor", "backpacking"},
     {"Pitches in under five minutes, even alone.", "Kept me warm on a frosty night.",
      "Packs down smaller than I expected.", "Boils water fast even in wind.",
      "Sturdy build, feels like it will last years.", "The whole family loved it at the lake."},
     {"The zipper snagged on the second trip.", "Heavier than the listing suggests.",
      "Condensation inside every single morning.", "The instructions were confusing."},
     29, 449},
    {"running", "footwear/running",
     {"Tempo Road Racer", "Cadence Daily Trainer", "Stride Compression Tee", "Pace Running Belt",
      "Sprint Reflective Jacket", "Recovery Foam Roller"},
     {"running", "road", "training", "lightweight"},
     {"Felt fast on my tempo runs.", "Plenty of cushioning for long runs.",
      "Breathable and never chafes.", "I set a new 10k personal best in these.",
      "Fits true to size and locks the heel in.", "Still springy after four hundred kilometres."},
     {"The outsole wore through quickly.", "Too narrow in the toe box for me.",
      "Squeaks on every stride on treadmills.", "The colour faded after a few washes."},
     19, 189},
    {"yoga", "apparel/yoga",
     {"Lotus Grip Mat", "Flow High-Rise Legging", "Balance Cork Block", "Breathe Cotton Strap",
      "Still Meditation Cushion", "Sun Salutation Bra"},
     {"yoga", "studio", "mindfulness", "stretch"},
     {"No slipping even in hot yoga.", "Soft, opaque and stays in place.",
      "Perfect thickness for my knees.", "Eco-friendly and it shows in the quality.",
      "My practice feels more grounded with it.", "Washes well and keeps its shape."},
     {"Had a strong rubber smell for weeks.", "Pilled after a month of use.",
      "Too thin to protect my knees.", "The colour was duller than the photos."},
     15, 129},
    {"skincare", "beauty/skincare",
     {"Dewdrop Hydrating Serum", "Clearday Mineral SPF 50", "Velvet Night Cream",
      "Gentle Foam Cleanser", "Bright Vitamin C Drops", "Calm Barrier Balm"},
     {"skincare", "vegan", "fragrance-free", "sensitive-skin"},
     {"My skin feels plump and hydrated.", "No white cast, even on darker skin.",
      "Calmed my redness within a week.", "Absorbs quickly and layers well under makeup.",
      "A little goes a long way.", "Gentle enough for my sensitive skin."},
     {"Broke me out after a few days.", "The pump stopped working halfway.",
      "Smells stronger than I like.", "Did not see any difference after a month."},
     12, 89},
    {"coffee", "kitchen/coffee",
     {"Origin Single-Estate Beans", "Bloom Pour-Over Kettle", "Burr Hand Grinder",
      "Crema Espresso Tamper", "Cold Brew Bottle", "Ritual Ceramic Dripper"},
     {"coffee", "specialty", "brewing", "kitchen"},
     {"Bright, fruity and never bitter.", "The pour control is excellent.",
      "Grind size is consistent for pour-over.", "My morning ritual got so much better.",
      "Beautiful build quality, feels premium.", "Makes cafe-level coffee at home."},
     {"The handle gets hot quickly.", "Beans arrived less fresh than promised.",
      "Grinder is slow for espresso.", "Leaks a little around the lid."},
     14, 179},
}};

const std::array<const char*, 24> kFirstNames = {
    "Tess", "Marco", "Aisha", "Liam", "Sofia", "Kenji", "Priya", "Noah", "Elena", "Omar", "Chloe", "Diego",
    "Hana", "Lucas", "Maya", "Felix", "Zara", "Theo", "Ines", "Ravi", "Nora", "Ezra", "Lena", "Jonah"};
const std::array<const char*, 16> kLastInitials = {"R.", "K.", "M.", "T.", "S.", "B.", "L.", "P.",
                                                   "D.", "W.", "H.", "C.", "G.", "F.", "N.", "V."};
const std::array<const char*, 12> kHandleWords = {"trail", "summit", "wild", "daily", "slow", "urban",
                                                  "north", "sunny", "happy", "little", "true", "green"};
const std::array<const char*, 8> kCountries = {"US", "CA", "GB", "DE", "FR", "AU", "ES", "NL"};
const std::array<const char*, 6> kAgeBands = {"13-17", "18-24", "25-34", "35-44", "45-54", "55+"};
const std::array<const char*, 4> kPlatforms = {"instagram", "tiktok", "youtube", "instagram"};

struct LocaleText {
  const char* locale;
  std::array<const char*, 3> good;
  std::array<const char*, 2> bad;
};
// A few short non-English reviews so that locale relevance is exercised.
const std::array<LocaleText, 3> kOtherLocales = {{
    {"fr", {"Très bonne qualité, je recommande.", "Confortable et bien fini.", "Livraison rapide, produit parfait."},
     {"Déçu par la qualité.", "La taille ne correspond pas."}},
    {"de", {"Sehr gute Qualität, klare Empfehlung.", "Bequem und gut verarbeitet.", "Schnelle Lieferung, top Produkt."},
     {"Leider enttäuscht von der Qualität.", "Die Größe passt nicht."}},
    {"es", {"Muy buena calidad, lo recomiendo.", "Cómodo y bien hecho.", "Envío rápido, producto perfecto."},
     {"Decepcionado con la calidad.", "La talla no corresponde."}},
}};

const std::array<const char*, 5> kSpam = {
    "BUY NOW!!! BEST PRICE EVER!!! visit http://cheap-deals.example.com/promo",
    "Amazing discount, email me at deals4you@example.net or call +1 555-201-3344 for wholesale",
    "FREE GIFT CARD CLICK HERE www.free-gift.example.org !!!!!!!!!!",
    "Make $$$ from home, whatsapp 555 867 5309, limited offer!!!",
    "goooooood!!!!!!! see my page https://spam.example.com and https://spam.example.com/2",
};

// Injection attempts a review form receives (OWASP XSS filter evasion
// examples, shortened): markup, event handlers, script URLs, breaking out of
// an attribute or a string.
const std::array<const char*, 8> kInjections = {
    "\"><iframe src=javascript:alert('iframe')>",
    "';alert('quote');//",
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert('hover')",
    "<svg/onload=alert('svg')>",
    "<a href=\"javascript:void(0)\">see photos</a>",
    "{{constructor.constructor('alert(1)')()}}",
};

// Honest sentences that carry one spam-like trait each (enthusiasm, a
// heart, a brand's site, a support number, a price remark, capitals).
const std::array<const char*, 8> kUnusualHonest = {
    "Sooooo comfy!!!!!",
    "I <3 these.",
    "The size chart on ridgeline.com was spot on.",
    "Support at 555 201 3344 swapped the size in a day.",
    "Used a discount code from the newsletter, would pay full price too.",
    "Best price I found, and the quality matches.",
    "Online = cheaper than in the store, same box.",
    "BEST PURCHASE THIS YEAR, TRUST ME!!!!!",
};

// A creator's voice around the niche's praise line, so that endorsement quotes
// rarely repeat. 12 openers x 16 closers: endorsement k (0-based) takes opener
// k % 12 and closer (13 * (k / 12) + k % 12) % 16; 13 is coprime with 16, so
// the first 192 endorsements of a feed all get a different pair.
const std::array<const char*, 12> kQuoteOpeners = {
    "", "Okay, real talk:", "Three months in:", "Tested it properly before saying anything.",
    "I was sceptical at first.", "My honest take:", "Quick update from last weekend:", "Long story short:",
    "Everyone keeps asking, so:", "Put it through a lot this season.", "Short version:", "Came back to say this:"};
const std::array<const char*, 16> kQuoteClosers = {
    "Honestly my go-to now.", "Would buy again.", "Already ordered a second one.", "My partner stole mine.",
    "Worth every cent.", "No regrets at all.", "It earned its place in my kit.", "Ten out of ten from me.",
    "Still using it daily.", "Gifted one to my sister too.", "Exactly what I hoped for.", "Easy recommendation.",
    "This one stays.", "Better than the pricier ones I tried.", "Happy I gave it a go.", "Yes, it lives up to the hype."};

std::string endorsement_quote(std::size_t k, const char* praise) {
  const char* opener = kQuoteOpeners[k % kQuoteOpeners.size()];
  const char* closer = kQuoteClosers[(13 * (k / kQuoteOpeners.size()) + k % kQuoteOpeners.size()) % kQuoteClosers.size()];
  return (*opener ? std::string(opener) + " " : std::string()) + praise + " " + closer;
}

// Follower tiers (PRODUCT.md): nano < 10k, micro < 100k, mid < 500k, macro < 1M, mega.
struct Tier {
  double min_followers, max_followers;
  double engagement_rate;  // typical (likes+comments+shares)/followers per post
  double min_rate, max_rate;  // price per post, USD
  double share;               // of the generated roster
};
const std::array<Tier, 5> kTiers = {{
    {1'000, 10'000, 0.050, 40, 150, 0.35},
    {10'000, 100'000, 0.030, 150, 900, 0.40},
    {100'000, 500'000, 0.018, 900, 4'000, 0.15},
    {500'000, 1'000'000, 0.012, 4'000, 12'000, 0.07},
    {1'000'000, 5'000'000, 0.008, 12'000, 60'000, 0.03},
}};

std::size_t pick_tier(SplitMix64& rng) {
  double u = rng.uniform(), acc = 0;
  for (std::size_t t = 0; t < kTiers.size(); ++t) {
    acc += kTiers[t].share;
    if (u < acc) return t;
  }
  return kTiers.size() - 1;
}

// Rounds to a multiple of step without float noise in the printed value
// (14 * 0.05 prints as 0.7000000000000001; 14 / 20.0 prints as 0.7).
double round_to(double v, double step) {
  double k = std::round(v / step);
  return step >= 1 ? k * step : k / std::round(1 / step);
}

// Weights summing to 1 over n keys, rounded to 0.01 with the remainder kept
// off the top so the sum never exceeds 1.
std::vector<double> shares(SplitMix64& rng, std::size_t n, double concentration) {
  std::vector<double> w(n);
  double sum = 0;
  for (auto& x : w) sum += (x = std::pow(rng.uniform() + 0.05, concentration));
  for (auto& x : w) x = std::floor(x / sum * 100.0) / 100.0;
  return w;
}


// Writes one JSON document piece by piece; a Writer without a sink writes
// nothing (the truth file when nobody asked for it).
class Writer {
 public:
  explicit Writer(const std::function<void(std::string_view)>& sink) : sink_(sink) {}
  bool enabled() const { return static_cast<bool>(sink_); }
  void raw(std::string_view s) {
    if (sink_) sink_(s);
  }
  void begin_array(const char* key) {
    raw(",\n\"");
    raw(key);
    raw("\": [");
    first_ = true;
  }
  void item(const ordered& value) {
    raw(first_ ? "\n  " : ",\n  ");
    first_ = false;
    raw(value.dump());
  }
  void end_array() { raw("\n]"); }

 private:
  const std::function<void(std::string_view)>& sink_;
  bool first_ = true;
};

struct GeneratedInfluencer {
  std::string id;
  std::size_t niche;
};

// ---- What is planted (the truth file; docs/feed.md#the-truth-file) --------
// The main stream draws the same values in the same order as before the
// truth file existed, so a seed keeps its store; what was added (who does
// follow-for-follow, true conversion rates, which spam is an injection
// attempt) comes from a second stream.

constexpr double kViewsPerEngagement = 8.0;  // views a post reports per engagement
constexpr double kPodCommentShare = 0.002;   // comments per engagement a pod adds
constexpr double kClickThrough = 0.10;       // clicks per real engagement
constexpr double kSponsoredTrust = 0.7;      // conversion rate kept by a mostly-sponsored feed

struct Planted {
  bool bought = false, pod = false, follow_for_follow = false;
  double bought_share = 0;       // of the follower count now
  Timestamp bought_on = 0;       // first history point after the purchase
  double pod_inflation = 1;      // engagements shown / organic engagements
  double follow_back_share = 0;  // of the followers: follow-backs, who never engage
  double real_share = 1;         // of the followers: the real audience
  double organic_rate = 0;       // engagements per post per real follower
  double sponsored_share = 0;    // chance that a post is sponsored
  double conversion_rate = 0;    // orders per click
};

double round6(double v) { return std::round(v * 1e6) / 1e6; }

ordered truth_of(const std::string& id, std::int64_t followers, const Planted& p) {
  ordered labels = ordered::array();
  if (p.bought) labels.push_back("bought_followers");
  if (p.pod) labels.push_back("engagement_pod");
  if (p.follow_for_follow) labels.push_back("follow_for_follow");
  if (p.sponsored_share > 0.5) labels.push_back("mostly_sponsored");
  const auto total = static_cast<double>(followers);
  double real = total * p.real_share;
  double engagements = real * p.organic_rate;
  auto whole = [](double v) { return static_cast<std::int64_t>(std::llround(v)); };
  ordered t = {{"id", id},
               {"labels", labels},
               {"followers", followers},
               {"real_followers", whole(real)},
               {"bought_followers", whole(total * p.bought_share)},
               {"follow_backs", whole(total * (1 - p.bought_share) * p.follow_back_share)},
               {"bought_on", p.bought ? ordered(format_date(p.bought_on)) : ordered(nullptr)},
               {"organic_engagement_rate", round6(p.organic_rate)},
               {"pod_inflation", round6(p.pod_inflation)},
               {"sponsored_share", round6(p.sponsored_share)},
               {"click_through_rate", kClickThrough},
               {"conversion_rate", round6(p.conversion_rate)},
               {"per_post", {{"reach", round6(engagements * kViewsPerEngagement)},
                             {"engagements", round6(engagements)},
                             {"orders", round6(engagements * kClickThrough * p.conversion_rate)}}}};
  return t;
}


// The audience of a creator: countries around a home country, ages around a
// peak band, genders.
ordered audience_of(SplitMix64& rng) {
  ordered countries = ordered::object();
  std::size_t home = rng.chance(0.6) ? 0 : rng.below(kCountries.size());
  auto cw = shares(rng, 4, 3.0);
  std::sort(cw.rbegin(), cw.rend());
  for (std::size_t k = 0; k < 4; ++k) countries[kCountries[(home + k * 3) % kCountries.size()]] = cw[k];
  ordered ages = ordered::object();
  std::size_t peak = 1 + rng.below(3);
  auto aw = shares(rng, kAgeBands.size(), 2.0);
  std::sort(aw.rbegin(), aw.rend());
  for (std::size_t k = 0; k < kAgeBands.size(); ++k) ages[kAgeBands[(peak + k) % kAgeBands.size()]] = aw[k];
  double female = round_to(rng.range(0.25, 0.8), 0.01);
  ordered genders = {{"female", female}, {"male", round_to(0.98 - female, 0.01)}};
  return {{"countries", countries}, {"ages", ages}, {"genders", genders}};
}

// Twelve posts over the last sixty days: the real audience engages at its
// organic rate; bought followers and follow-backs do not engage, a pod
// multiplies engagement and adds few comments. Views are reported on every
// platform but Instagram, and for running creators everywhere.
ordered posts_of(std::size_t i, std::size_t niche, std::int64_t followers, const Planted& planted,
                 double organic_comments, SplitMix64& rng, Timestamp now) {
  double rate_norm = planted.organic_rate * planted.real_share * planted.pod_inflation;
  double comment_ratio = organic_comments / planted.pod_inflation +
                         (1 - 1 / planted.pod_inflation) * kPodCommentShare;
  bool views = niche == 2 || kPlatforms[i % 4][0] != 'i';
  ordered posts = ordered::array();
  for (int k = 0; k < 12; ++k) {
    double engagements = static_cast<double>(followers) * rate_norm * std::exp(0.25 * rng.normal());
    auto comments = static_cast<std::int64_t>(engagements * comment_ratio);
    auto shares_count = static_cast<std::int64_t>(engagements * rng.range(0.0, 0.03));
    auto likes = std::max<std::int64_t>(0, static_cast<std::int64_t>(engagements) - comments - shares_count);
    Timestamp at = now - (k * 5 + 1) * kSecondsPerDay - static_cast<Timestamp>(rng.below(20 * 3600));
    posts.push_back({{"at", format_rfc3339(at)},
                     {"likes", likes},
                     {"comments", comments},
                     {"shares", shares_count},
                     {"views", views ? static_cast<std::int64_t>(engagements * kViewsPerEngagement) : 0},
                     {"sponsored", rng.chance(planted.sponsored_share)}});
  }
  return posts;
}

// Six monthly follower counts ending now: the real audience grows at a
// steady organic rate; bought followers arrive in one purchase (whose date
// goes to planted.bought_on).
ordered history_of(std::int64_t followers, Planted& planted, SplitMix64& rng, Timestamp now) {
  double monthly_growth = rng.range(0.005, 0.04);
  std::size_t spike_month = 2 + rng.below(3);
  if (planted.bought) rng.uniform();  // the draw that once sized the spike; kept so later values stay the same
  double bought = static_cast<double>(followers) * planted.bought_share;
  std::vector<double> real(6);
  real[5] = static_cast<double>(followers) - bought;
  for (std::size_t m = 5; m-- > 0;) real[m] = real[m + 1] / (1.0 + monthly_growth);
  ordered history = ordered::array();
  for (std::size_t m = 0; m < 6; ++m) {
    Timestamp date = now - static_cast<Timestamp>(5 - m) * 30 * kSecondsPerDay;
    double count = m >= spike_month ? real[m] + bought : real[m];
    history.push_back({{"date", format_date(date)}, {"followers", static_cast<std::int64_t>(count)}});
    if (m == spike_month && planted.bought) planted.bought_on = date;
  }
  return history;
}

struct GeneratedEntry {
  ordered influencer;
  Planted planted;
  std::size_t niche = 0;
};

// Influencer i of the roster and what was planted in it. The main stream
// `rng` is drawn in the order older generators drew it (a seed keeps its
// store); `plant` serves what the truth file added.
GeneratedEntry generate_influencer(std::size_t i, SplitMix64& rng, SplitMix64& plant, Timestamp now) {
  GeneratedEntry g;
  Planted& planted = g.planted;
  const Tier& tier = kTiers[pick_tier(rng)];
  std::size_t n = g.niche = rng.below(kNiches.size());
  std::string id = "inf-" + std::to_string(i + 1);
  std::string first = kFirstNames[rng.below(kFirstNames.size())];
  std::string handle = std::string(kHandleWords[rng.below(kHandleWords.size())]) + kNiches[n].name + first;
  std::transform(handle.begin(), handle.end(), handle.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  // Within the platform's longest handle (TikTok: 24; docs/feed.md).
  std::string number = std::to_string(i + 1);
  std::size_t longest = std::string_view(kPlatforms[i % kPlatforms.size()]) == "tiktok" ? 24 : 30;
  handle.resize(std::min(handle.size(), longest - number.size()));
  handle += number;
  // Log-uniform within the tier.
  auto followers = static_cast<std::int64_t>(
      std::exp(rng.range(std::log(tier.min_followers), std::log(tier.max_followers - 1))));
  double u = rng.uniform();
  planted.bought = u < 0.06;
  planted.pod = !planted.bought && u < 0.09;

  ordered niches = ordered::object();
  niches[kNiches[n].name] = round_to(rng.range(0.6, 1.0), 0.05);
  std::size_t second = (n + 1 + rng.below(kNiches.size() - 1)) % kNiches.size();
  if (rng.chance(0.6)) niches[kNiches[second].name] = round_to(rng.range(0.1, 0.5), 0.05);
  ordered audience = audience_of(rng);

  planted.organic_rate = tier.engagement_rate * std::exp(0.35 * rng.normal());
  if (planted.bought) planted.bought_share = rng.range(0.15, 0.75);
  if (planted.pod) planted.pod_inflation = rng.range(2.5, 7.0);
  double organic_comments = rng.range(0.02, 0.06);  // comments per organic engagement
  planted.follow_for_follow = !planted.bought && !planted.pod && plant.chance(0.04);
  double follow_back_rate = 1;  // of the accounts it follows, the share that followed back
  if (planted.follow_for_follow) {
    planted.follow_back_share = plant.range(0.3, 0.7);
    follow_back_rate = plant.range(0.4, 0.9);
  }
  planted.real_share = (1 - planted.bought_share) * (1 - planted.follow_back_share);
  planted.sponsored_share = rng.chance(0.1) ? rng.range(0.6, 0.9) : rng.range(0.0, 0.3);
  ordered posts = posts_of(i, n, followers, planted, organic_comments, rng, now);
  ordered history = history_of(followers, planted, rng, now);
  double following_draw = rng.range(150, 1500);
  auto following = static_cast<std::int64_t>(
      planted.follow_for_follow ? static_cast<double>(followers) * planted.follow_back_share / follow_back_rate
                                : following_draw);
  std::string code = handle.substr(0, std::min<std::size_t>(handle.size(), 10));
  std::transform(code.begin(), code.end(), code.begin(),
                 [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
  code += std::to_string(i + 1);
  g.influencer = {
      {"id", id},
      {"handle", handle},
      {"name", first + " " + kLastInitials[rng.below(kLastInitials.size())]},
      {"platform", kPlatforms[i % kPlatforms.size()]},
      {"avatar", "/demo/img/avatar-" + std::to_string(i % 12 + 1) + ".svg"},
      {"profile_url", "https://social.example/" + handle},
      {"followers", followers},
      {"following", following},
      {"niches", niches},
      {"audience", audience},
      {"recent_posts", posts},
      {"follower_history", history},
      {"rate",
       {{"amount", round_to(rng.range(tier.min_rate, tier.max_rate), 5.0)}, {"currency", "USD"}, {"per", "post"}}},
      {"codes", {code}}};
  if (rng.chance(0.2)) g.influencer["customer_hashes"] = {random_hex(rng, 64)};
  planted.conversion_rate = std::min(0.2, 0.02 * std::exp(0.5 * plant.normal())) *
                            (planted.sponsored_share > 0.5 ? kSponsoredTrust : 1.0);
  return g;
}

}  // namespace

void generate_feed(const GenerateOptions& options, const std::function<void(std::string_view)>& sink,
                   const std::function<void(std::string_view)>& truth_sink) {
  SplitMix64 rng(options.seed * 0x2545F4914F6CDD1DULL + 0x1234567ULL);
  SplitMix64 plant(options.seed * 0x9E3779B97F4A7C15ULL + 0x7A11ULL);
  const Timestamp now = options.now;
  const std::size_t product_count = std::max<std::size_t>(options.products, 1);
  Writer out(sink);
  Writer truth(truth_sink);
  truth.raw("{\"version\": 1, \"seed\": " + std::to_string(options.seed) + ",\n\"store\": \"demo\"");

  ordered store = {{"id", "demo"},
                   {"name", "Trail & Co"},
                   {"currency", "USD"},
                   {"locale", "en-US"}};
  out.raw("{\"version\": 1,\n\"store\": ");
  out.raw(store.dump());

  // Products: round-robin over niches so every niche is stocked.
  std::vector<std::size_t> product_niche(product_count);
  std::vector<std::string> product_title(product_count);
  out.begin_array("products");
  for (std::size_t i = 0; i < product_count; ++i) {
    std::size_t n = i % kNiches.size();
    const Niche& niche = kNiches[n];
    product_niche[i] = n;
    std::size_t model = (i / kNiches.size()) % niche.products.size();
    std::size_t edition = i / (kNiches.size() * niche.products.size());
    std::string title = niche.products[model];
    if (edition > 0) title += " " + std::to_string(edition + 1);
    product_title[i] = title;
    double price = round_to(rng.range(niche.min_price, niche.max_price), 1.0) - 0.01;
    std::string id = "sku-" + std::to_string(i + 1);
    out.item({{"id", id},
              {"title", title},
              {"url", "/demo/product.html?id=" + id},
              {"image", "/demo/img/" + std::string(niche.name) + "-" + std::to_string(model % 3 + 1) + ".svg"},
              {"price", price},
              {"currency", "USD"},
              {"category", niche.category},
              {"tags", {niche.tags[0], niche.tags[1 + rng.below(3)]}}});
  }
  out.end_array();

  // Influencers across tiers, some of them inflated by bought followers,
  // engagement pods or follow-for-follow, so that authenticity checks have
  // something to find (planted as docs/feed.md#the-truth-file describes).
  std::vector<GeneratedInfluencer> roster;
  out.begin_array("influencers");
  truth.begin_array("influencers");
  for (std::size_t i = 0; i < options.influencers; ++i) {
    GeneratedEntry g = generate_influencer(i, rng, plant, now);
    std::string id = g.influencer["id"];
    roster.push_back({id, g.niche});
    out.item(g.influencer);
    if (truth.enabled()) truth.item(truth_of(id, g.influencer["followers"], g.planted));
  }
  out.end_array();
  truth.end_array();

  // Endorsements: each influencer backs one to three products of their niche.
  out.begin_array("endorsements");
  std::size_t endorsement_id = 0;
  for (std::size_t i = 0; i < roster.size(); ++i) {
    std::size_t count = 1 + rng.below(3);
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t p = roster[i].niche + kNiches.size() * rng.below((product_count + kNiches.size() - 1) / kNiches.size());
      if (p >= product_count || product_niche[p] != roster[i].niche) p = rng.below(product_count);
      const Niche& niche = kNiches[product_niche[p]];
      std::string quote = endorsement_quote(endorsement_id, niche.praise[rng.below(niche.praise.size())]);
      Timestamp at = now - static_cast<Timestamp>(rng.below(240)) * kSecondsPerDay - static_cast<Timestamp>(rng.below(86400));
      out.item({{"id", "e-" + std::to_string(++endorsement_id)},
                {"influencer", roster[i].id},
                {"product", "sku-" + std::to_string(p + 1)},
                {"url", "https://social.example/p/" + std::to_string(endorsement_id)},
                {"quote", quote},
                {"media", "/demo/img/" + std::string(niche.name) + "-" + std::to_string(rng.below(3) + 1) + ".svg"},
                {"at", format_rfc3339(at)},
                {"likes", static_cast<std::int64_t>(rng.range(50, 5000))},
                {"comments", static_cast<std::int64_t>(rng.range(2, 300))}});
    }
  }
  out.end_array();

  // UGC: product popularity follows a Zipf-like law (a few products get most
  // reviews); ratings follow the J-shaped distribution typical of online
  // reviews (Hu, Pavlou & Zhang 2009): many 5s, some 1s, few in between.
  std::vector<double> popularity(product_count);
  double total = 0;
  for (std::size_t i = 0; i < product_count; ++i) total += (popularity[i] = 1.0 / std::pow(static_cast<double>(i) + 1.0, 0.8));
  std::vector<double> cumulative(product_count);
  double acc = 0;
  for (std::size_t i = 0; i < product_count; ++i) cumulative[i] = (acc += popularity[i] / total);

  struct Recent {
    std::string body;
    std::string title;
    std::string id;
  };
  std::vector<Recent> recent_by_product(product_count);
  out.begin_array("ugc");
  truth.begin_array("ugc");
  for (std::size_t i = 0; i < options.ugc; ++i) {
    double pu = rng.uniform();
    std::size_t p = std::min<std::size_t>(
        std::lower_bound(cumulative.begin(), cumulative.end(), pu) - cumulative.begin(), product_count - 1);
    const Niche& niche = kNiches[product_niche[p]];
    double ru = rng.uniform();
    int rating = ru < 0.55 ? 5 : ru < 0.75 ? 4 : ru < 0.84 ? 3 : ru < 0.90 ? 2 : 1;
    double ku = rng.uniform();
    const char* kind = ku < 0.80 ? "review" : ku < 0.90 ? "photo" : ku < 0.94 ? "video" : "post";
    bool by_influencer = std::string_view(kind) == "post" && !roster.empty();

    std::string locale = "en", title, body;
    double lu = rng.uniform();
    if (lu < 0.15) {
      const LocaleText& lt = kOtherLocales[rng.below(kOtherLocales.size())];
      locale = lt.locale;
      body = rating >= 4 ? lt.good[rng.below(lt.good.size())] : lt.bad[rng.below(lt.bad.size())];
      title = body.substr(0, body.find(','));
    } else {
      // Up to four distinct sentences: consecutive picks from a random start.
      std::size_t sentences = 1 + rng.below(4);
      std::size_t start = rng.below(niche.praise.size());
      for (std::size_t s = 0; s < sentences; ++s) {
        bool positive = rating >= 4 || (rating == 3 && s == 0);
        body += (s ? " " : "");
        body += positive ? niche.praise[(start + s) % niche.praise.size()]
                         : niche.critique[(start + s) % niche.critique.size()];
      }
      static constexpr std::array<const char*, 5> kTitles = {"Not for me", "Disappointed", "It's okay",
                                                             "Really good", "Love it!"};
      title = kTitles[rating - 1];
    }
    std::string id = "r-" + std::to_string(i + 1);
    bool spam = rng.chance(0.03);
    bool injection = spam && plant.chance(0.4);
    if (spam) {
      body = kSpam[rng.below(kSpam.size())];
      title = "WOW";
      rating = 5;
    }
    // An injection attempt: the whole text, or hidden after a real-looking review.
    if (injection) {
      std::string attack = kInjections[plant.below(kInjections.size())];
      bool hidden = plant.chance(0.5) && locale == "en";
      body = hidden ? niche.praise[plant.below(niche.praise.size())] + (" " + attack) : attack;
      title = hidden ? "Love it!" : attack;
    }
    // A few honest reviews that look unusual: what a spam filter must let through.
    bool unusual = !spam && locale == "en" && plant.chance(0.02);
    if (unusual) body += std::string(" ") + kUnusualHonest[plant.below(kUnusualHonest.size())];
    // Some shoppers post the same review twice, or copy another one.
    bool duplicate = !spam && rng.chance(0.03) && !recent_by_product[p].body.empty();
    if (duplicate) {
      body = recent_by_product[p].body + (rng.chance(0.5) ? "!" : " Great.");
      title = recent_by_product[p].title;
      unusual = false;
    } else if (!spam) {
      recent_by_product[p] = {body, title, id};
    }
    if (spam) truth.item({{"id", id}, {"spam", injection ? "injection" : "promotion"}});
    if (unusual) truth.item({{"id", id}, {"unusual_but_honest", true}});
    if (duplicate) truth.item({{"id", id}, {"near_duplicate_of", recent_by_product[p].id}});

    double su = rng.uniform();
    const char* status = su < 0.90 ? "published" : su < 0.97 ? "pending" : "rejected";
    // Recent items are more common: exponential ages, mean 120 days, capped at two years.
    double age_days = std::min(730.0, -std::log(1.0 - rng.uniform()) * 120.0);
    Timestamp at = now - static_cast<Timestamp>(age_days * kSecondsPerDay);
    auto helpful = static_cast<std::int64_t>(std::floor(-std::log(1.0 - rng.uniform()) * 4.0));
    auto unhelpful = static_cast<std::int64_t>(std::floor(-std::log(1.0 - rng.uniform()) * (rating <= 2 ? 1.5 : 0.8)));

    ordered author = {{"name", std::string(kFirstNames[rng.below(kFirstNames.size())]) + " " +
                                   kLastInitials[rng.below(kLastInitials.size())]},
                      {"verified_buyer", rng.chance(0.75)},
                      {"influencer", nullptr}};
    if (by_influencer) {
      const auto& inf = roster[rng.below(roster.size())];
      author["influencer"] = inf.id;
      author["verified_buyer"] = false;
    }
    ordered media = ordered::array();
    bool wants_media = std::string_view(kind) != "review" || rng.chance(0.25);
    if (wants_media) {
      std::size_t m = 1 + rng.below(3);
      media.push_back({{"type", std::string_view(kind) == "video" ? "video" : "image"},
                       {"url", "/demo/img/" + std::string(niche.name) + "-" + std::to_string(m) + ".svg"},
                       {"alt", "Customer photo of " + product_title[p]}});
    }
    ordered item = {{"id", id},
                    {"product", "sku-" + std::to_string(p + 1)},
                    {"kind", kind},
                    {"author", author},
                    {"rating", std::string_view(kind) == "review" || rng.chance(0.5) ? ordered(rating) : ordered(nullptr)},
                    {"title", title},
                    {"body", body},
                    {"media", media},
                    {"at", format_rfc3339(at)},
                    {"helpful", helpful},
                    {"unhelpful", unhelpful},
                    {"locale", locale},
                    {"status", status}};
    out.item(item);
  }
  out.end_array();
  out.raw("\n}\n");
  truth.end_array();
  truth.raw("\n}\n");
}

}  // namespace vouch
