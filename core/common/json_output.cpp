#include "common/json_output.hpp"

#include "common/text.hpp"

namespace vouch {

void put(nlohmann::json& object, const char* key, nlohmann::json value) { object[key] = std::move(value); }

void put_string(nlohmann::json& object, const char* key, std::string_view value) {
  put(object, key, std::string(value));
}

void put_string_or_null(nlohmann::json& object, const char* key, const std::string* value) {
  put(object, key, value ? nlohmann::json(*value) : nlohmann::json(nullptr));
}

void put_int(nlohmann::json& object, const char* key, std::int64_t value) { put(object, key, value); }

void put_bool(nlohmann::json& object, const char* key, bool value) { put(object, key, value); }

void put_number(nlohmann::json& object, const char* key, double value) { put(object, key, value); }

void put_score(nlohmann::json& object, const char* key, double value) { put(object, key, round_score(value)); }

void put_score_or_null(nlohmann::json& object, const char* key, const std::optional<double>& value) {
  put(object, key, value ? nlohmann::json(round_score(*value)) : nlohmann::json(nullptr));
}

void put_strings(nlohmann::json& object, const char* key, const std::vector<std::string>& values) {
  put(object, key, values);
}

}  // namespace vouch
