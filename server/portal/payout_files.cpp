#include "payout_files.hpp"

#include "common/money.hpp"
#include "csv.hpp"

namespace vouch::server {

std::string decimal_amount(std::int64_t minor, const std::string& currency) {
  int digits = currency_exponent(currency);
  std::string sign = minor < 0 ? "-" : "";
  std::string text = std::to_string(minor < 0 ? -minor : minor);
  if (digits == 0) return sign + text;
  if (text.size() <= static_cast<std::size_t>(digits)) text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
  return sign + text.substr(0, text.size() - static_cast<std::size_t>(digits)) + "." +
         text.substr(text.size() - static_cast<std::size_t>(digits));
}

std::string payout_file(PayoutFormat format, const std::vector<PayoutRecipient>& recipients,
                        const std::string& store_name, std::vector<std::string>& missing) {
  std::string out =
      format == PayoutFormat::Wise
          ? "name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency\r\n"
          : "";
  for (const auto& r : recipients) {
    const PayoutRecord& p = r.payout;
    if (r.email.empty()) {
      missing.push_back(p.influencer);
      continue;
    }
    std::string amount = decimal_amount(p.amount_minor, p.currency);
    if (format == PayoutFormat::PayPal) {
      // Customer ID: the creator's id when it fits PayPal's 30 characters (ids hold no spaces).
      std::string customer = p.influencer.size() <= 30 ? p.influencer : "";
      std::string note = "Commission from " + store_name + " (" + p.id + ", " + std::to_string(p.lines) +
                         (p.lines == 1 ? " line)" : " lines)");
      out += csv_field(r.email) + "," + amount + "," + p.currency + "," + csv_field(customer) + "," +
             csv_field(note.substr(0, 400)) + ",PAYPAL\r\n";
    } else {
      out += csv_field(r.name) + "," + csv_field(r.email) + "," + csv_field(p.id) + ",PERSON,target," + amount + "," +
             p.currency + "," + p.currency + "\r\n";
    }
  }
  return out;
}

}  // namespace vouch::server
