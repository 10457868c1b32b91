// Turns vouch('conversion', {...}) into the conversion event: the order as the
// server's contract wants it (no personal data: the customer identifier is a
// SHA-256 hash) and the stored touches with their referral codes. The
// server's attribution resolves the codes and decides the credits: the order
// page downloads neither an engine nor the roster.

import { IDENTIFIER } from '../../shared/rules.js';
import { validReferralCode } from '../storage.js';

const num = (value) => (Number.isFinite(Number(value)) ? Number(value) : 0);

// An item keeps its product id whole when the core's id rule allows it (every
// product in a feed follows that rule); an id outside it names no product and
// its item is left out, rather than cut into an id that might be another's.
export function normaliseOrder(input, visitor) {
  const items = (Array.isArray(input.items) ? input.items : []).slice(0, 100).map((item) => ({
    product: String((item && (item.product ?? item.id ?? item.sku)) ?? ''),
    qty: Math.max(1, Math.round(num(item && (item.qty ?? item.quantity)) || 1)),
    price: num(item && item.price),
  })).filter((item) => IDENTIFIER.test(item.product));
  const code = validReferralCode(input.coupon);   // a coupon is a creator's code
  const coupon = code && code.toUpperCase();
  return {
    order_id: input.orderId,
    visitor,
    at: input.at,
    value: num(input.value),
    currency: input.currency,
    items,
    coupon,
    customer: null,
  };
}

// SHA-256 of the trimmed, lower-cased e-mail: the same normalisation as the
// influencers' customer_hashes, so self-referrals are recognised.
export async function customerHash(value) {
  if (typeof value !== 'string' || !value.trim()) return null;
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  if (!(crypto && crypto.subtle)) return null;
  const bytes = new TextEncoder().encode(value.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => (b + 256).toString(16).slice(1)).join('');
}

export function resolveTouches(stored, visitor) {
  return stored.map((touch) => {
    return {
      visitor,
      at: touch.at,
      influencer: null,
      code: touch.code,
      source: touch.source === 'coupon' ? 'coupon' : 'link',
      landing: typeof touch.landing === 'string' ? touch.landing.slice(0, 200) : null,
    };
  });
}
