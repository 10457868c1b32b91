// Generated from the C++ core by tests/web/web_rules.cpp (scripts/gen-rules.sh): do not edit.
// tests/web/rules.test.mjs fails when this file and the core disagree.

/** A referral code (?ref=, ?via=, a coupon, a feed's codes): core/input/rules.hpp kCodeRule. */
export const REFERRAL_CODE = /^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$/;
/** A creator's source tag (?src=, a touch's src; stored in lower case): kSourceTagRule. */
export const SOURCE_TAG = /^[A-Za-z0-9][A-Za-z0-9_\-]{0,31}$/;
/** An id of a product, creator or item: kIdRule. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._\-:\/]{0,127}$/;
/** A creator's handle per platform ("": any other platform): kHandleRules. */
export const HANDLES = { "instagram": /^[A-Za-z0-9._]{1,30}$/, "tiktok": /^[A-Za-z0-9._]{2,24}$/, "youtube": /^[A-Za-z0-9._\-]{3,30}$/, "x": /^[A-Za-z0-9_]{1,15}$/, "": /^[A-Za-z0-9._]{1,30}$/ };
/** Links (is_link_url): http(s) or a path on the site, at most this many UTF-8 bytes, none of these. */
export const LINK_MAX_BYTES = 2048;
export const LINK_FORBIDDEN = "\"<>\\";
/** A review a shopper writes (ReviewLimits, in characters; PhotoLimits::max_bytes). */
export const REVIEW_LIMITS = { title: 150, body: 5000, name: 80, photos: 3, photoBytes: 10485760 };
/** A verified buyer's review token (parse_review_token): base64url(order id) "." 32 hex digits. */
export const REVIEW_TOKEN = /^[A-Za-z0-9_\-]{2,171}\.[0-9a-f]{32}$/;
/** Items on the rail and on a page of "See all": the public documents are exact for these. */
export const RAIL_SIZE = 8;
export const PAGE_SIZE = 10;
/** ISO 4217 digits after the decimal point where they are not 2 (currency_exponent). */
export const CURRENCY_EXPONENTS = {"BHD":3,"BIF":0,"CLP":0,"DJF":0,"GNF":0,"IQD":3,"ISK":0,"JOD":3,"JPY":0,"KMF":0,"KRW":0,"KWD":3,"LYD":3,"OMR":3,"PYG":0,"RWF":0,"TND":3,"UGX":0,"UYI":0,"VND":0,"VUV":0,"XAF":0,"XOF":0};
/** A CSV field starting with one of these is written with a leading ' (server/csv.hpp). */
export const CSV_FORMULA_START = "=+-@\t\r";
