#pragma once
// A payout run as the bulk-payout files of PayPal and Wise (docs/portal.md,
// "Payout files", with each column's source).
//
// PayPal Payouts, "Send payouts using the web UI" (docs.paypal.ai/send/use-web-ui;
// developer.paypal.com/docs/payouts/integrate/ui-integration): a CSV without a
// header row, one payout per line, at most 5,000 lines and one currency:
//   recipient (e-mail), amount, currency, customer ID (<= 30, no spaces),
//   note to recipient (<= 400), recipient wallet (PAYPAL)
//
// Wise batch payments, the "Send by email" template (wise.com/help/articles/2663296
// and 2663302): a CSV with this header, at most 1,000 transfers:
//   name,recipientEmail,paymentReference,receiverType,amountCurrency,amount,sourceCurrency,targetCurrency
// receiverType PERSON; amountCurrency "target" (the creator gets the amount
// exactly, the fees are the store's); source and target the store's currency.
#include <string>
#include <vector>

#include "store.hpp"

namespace vouch::server {

enum class PayoutFormat { PayPal, Wise };

// One line of a file: the payout and who it goes to.
struct PayoutRecipient {
  PayoutRecord payout;
  std::string name;   // the creator's name (the feed's, else their handle)
  std::string email;  // their payout e-mail, else the e-mail their links go to
};

// The file's text; lines end in CRLF. A payout without an e-mail is left out
// and named in `missing` (the owner pays it by hand).
std::string payout_file(PayoutFormat format, const std::vector<PayoutRecipient>& recipients,
                        const std::string& store_name, std::vector<std::string>& missing);

// 1250 USD -> "12.50", 1250 JPY -> "1250", 1250 KWD -> "1.250".
std::string decimal_amount(std::int64_t minor, const std::string& currency);

}  // namespace vouch::server
