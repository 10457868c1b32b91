#include "creator_results.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "attribution/attribution.hpp"
#include "common/error.hpp"
#include "common/money.hpp"
#include "common/text.hpp"

namespace vouch::server {

namespace {

using nlohmann::json;

struct Row {
  std::int64_t clicks = 0, orders = 0, revenue_minor = 0, commission_minor = 0;
  std::set<std::string> visitors;
  void click(const std::string& visitor) {
    ++clicks;
    visitors.insert(visitor);
  }
  json to_json(const std::string& currency) const {
    return {{"clicks", clicks},
            {"visitors", static_cast<std::int64_t>(visitors.size())},
            {"orders", orders},
            {"revenue", to_major_units(revenue_minor, currency)},
            {"commission", to_major_units(commission_minor, currency)}};
  }
};

// "/p/sku-1" and "https://shop.example/p/sku-1?x" -> "/p/sku-1".
std::string path_of(const std::string& url) {
  std::string path = url;
  if (auto scheme = path.find("://"); scheme != std::string::npos) {
    auto slash = path.find('/', scheme + 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  }
  return path.substr(0, path.find_first_of("?#"));
}

// The codes a touch may name the creator by, lower case (as the engine resolves them).
std::vector<std::string> names_of(const Influencer& creator) {
  std::vector<std::string> names = {ascii_lower(creator.id), ascii_lower(creator.handle), "@" + ascii_lower(creator.handle)};
  for (const auto& code : creator.codes) names.push_back(ascii_lower(code));
  return names;
}

// The creator's link touches in the range, resolved by the engine.
void count_clicks(Store& store, const Feed& feed, const Influencer& creator, Timestamp from, Timestamp to,
                  std::map<Timestamp, Row>& days, std::map<std::string, Row>& sources,
                  std::map<std::string, Row>& products, Row& total) {
  json touches = store.creator_touches(creator.id, names_of(creator), from, to);
  // Page path -> product id; "" when several products share a path (their
  // pages differ by query only, which touches do not keep): no product then.
  std::map<std::string, std::string> product_at;
  for (const auto& p : feed.products)
    if (!p.url.empty())
      if (auto [it, added] = product_at.emplace(path_of(p.url), p.id); !added) it->second.clear();
  AttributionData data(feed);
  std::vector<const json*> kept;
  for (const auto& touch : touches) {
    try {
      data.add_touch(touch, kept.size());
      kept.push_back(&touch);
    } catch (const VouchException&) {
    }
  }
  // A click's copies (another landing, the same second) count once, as in the report.
  std::sort(data.touches.begin(), data.touches.end(), [](const Touch& a, const Touch& b) {
    return std::tie(a.visitor, a.at, a.seq) < std::tie(b.visitor, b.at, b.seq);
  });
  drop_repeated_clicks(data.touches);
  for (const Touch& t : data.touches) {
    if (t.influencer < 0 || feed.influencers[static_cast<std::size_t>(t.influencer)].id != creator.id) continue;
    const json& input = *kept[t.seq];
    std::string visitor(data.visitors.name(t.visitor));
    total.click(visitor);
    days[t.at - t.at % kSecondsPerDay].click(visitor);
    sources[input.contains("src") && input["src"].is_string() ? input["src"].get<std::string>() : ""].click(visitor);
    std::string landing = input.contains("landing") && input["landing"].is_string() ? input["landing"].get<std::string>() : "";
    if (auto it = product_at.find(path_of(landing)); it != product_at.end() && !it->second.empty())
      products[it->second].click(visitor);
  }
}

// The products of an order and their share of its value (price x qty).
std::vector<std::pair<std::string, std::int64_t>> items_of(const json& order, const std::string& currency) {
  std::map<std::string, std::int64_t> value;
  if (order.is_object() && order.contains("items") && order["items"].is_array())
    for (const auto& item : order["items"]) {
      if (!item.is_object() || !item.contains("product") || !item["product"].is_string()) continue;
      auto number = [&item](const char* key, double absent) {
        return item.contains(key) && item[key].is_number() ? item[key].get<double>() : absent;
      };
      double price = number("price", 0.0) * number("qty", 1.0);
      value[item["product"].get<std::string>()] += to_minor_units(price, currency).value_or(0);
    }
  return {value.begin(), value.end()};
}

void count_sales(Store& store, const std::string& influencer, const std::string& currency, Timestamp from,
                 Timestamp to, std::map<Timestamp, Row>& days, std::map<std::string, Row>& sources,
                 std::map<std::string, Row>& products, Row& total) {
  auto lines = store.commission_lines(influencer, from, to);
  std::vector<std::string> ids;
  for (const auto& line : lines) ids.push_back(line.order_id);
  std::map<std::string, json> orders;
  for (auto& order : store.orders_with_ids(ids))
    if (order.is_object() && order.contains("order_id") && order["order_id"].is_string()) {
      // The key first: json's operator= takes its argument by value, made (moved from `order`) before the key.
      std::string id = order["order_id"].get<std::string>();
      orders[id] = std::move(order);
    }
  for (const auto& line : lines) {
    std::int64_t sale = line.clawback() ? 0 : 1;
    for (Row* row : {&total, &days[line.at - line.at % kSecondsPerDay], &sources[line.src]}) {
      row->orders += sale;
      row->revenue_minor += line.revenue_minor;
      row->commission_minor += line.amount_minor;
    }
    auto items = items_of(orders[line.order_id], currency);
    std::vector<std::int64_t> weights;
    for (const auto& [product, value] : items) weights.push_back(std::max<std::int64_t>(0, value));
    bool any = false;
    for (auto w : weights) any = any || w > 0;
    if (!any) continue;
    auto revenue = apportion(line.revenue_minor, weights);
    auto commission = apportion(line.amount_minor, weights);
    for (std::size_t i = 0; i < items.size(); ++i) {
      Row& row = products[items[i].first];
      row.orders += sale;
      row.revenue_minor += revenue[i];
      row.commission_minor += commission[i];
    }
  }
}

}  // namespace

json creator_results(Store& store, const Feed& feed, const std::string& influencer, Timestamp from, Timestamp to) {
  const std::string& currency = feed.store.currency;
  std::map<Timestamp, Row> days;
  std::map<std::string, Row> sources, products;
  Row total;
  if (const Influencer* creator = feed.find_influencer(influencer))
    count_clicks(store, feed, *creator, from, to, days, sources, products, total);
  count_sales(store, influencer, currency, from, to, days, sources, products, total);

  json by_day = json::array();
  for (Timestamp day = from; day < to; day += kSecondsPerDay) {
    json row = days[day].to_json(currency);
    row["date"] = format_date(day);
    by_day.push_back(std::move(row));
  }
  auto ranked = [&](const std::map<std::string, Row>& rows, const char* key, bool titles) {
    std::vector<std::pair<std::string, const Row*>> order;
    for (const auto& [name, row] : rows) order.push_back({name, &row});
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.second->revenue_minor, a.second->clicks) > std::make_pair(b.second->revenue_minor, b.second->clicks);
    });
    json out = json::array();
    for (const auto& [name, row] : order) {
      json r = row->to_json(currency);
      r[key] = name.empty() ? json(nullptr) : json(name);
      if (titles) {
        const Product* p = feed.find_product(name);
        r["title"] = p ? p->title : name;
      }
      out.push_back(std::move(r));
    }
    return out;
  };
  return {{"from", format_date(from)},
          {"to", format_date(to)},
          {"currency", currency},
          {"totals", total.to_json(currency)},
          {"by_day", by_day},
          {"by_source", ranked(sources, "src", false)},
          {"by_product", ranked(products, "product", true)}};
}

}  // namespace vouch::server
