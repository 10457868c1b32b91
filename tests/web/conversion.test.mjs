// The order a conversion sends (web/src/widget/conversion.js): its items name
// products by the ids the core accepts (kIdRule, web/shared/rules.js
// IDENTIFIER: a letter or digit, then up to 127 of letters, digits and
// "._-:/"), whole, so that a long SKU still matches its product.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTIFIER } from '../../web/shared/rules.js';
import { normaliseOrder } from '../../web/src/widget/conversion.js';

const products = (items) => normaliseOrder({ orderId: '1001', items }, 'v-1').items.map((item) => item.product);

test('a product id of 65 to 128 characters is sent whole', () => {
  // 'TS-001/BLK:XL-' is 14 characters; 14 + 51 = 65, 14 + 114 = 128 (the rule's most).
  const sku65 = 'TS-001/BLK:XL-' + 'a'.repeat(51);
  const sku128 = 'TS-001/BLK:XL-' + 'b'.repeat(114);
  assert.equal(sku65.length, 65);
  assert.equal(sku128.length, 128);
  assert.deepEqual(products([{ product: sku65, qty: 1, price: 10 }, { sku: sku128, quantity: 2, price: 5 }]), [sku65, sku128]);
});

test('an item whose id no product can have is left out, never cut into another id', () => {
  // 129 characters: over the rule, so no product of the feed has it; cut to
  // 128 it would be 'x' * 128, which may well be another product.
  const items = [
    { product: 'x'.repeat(129), qty: 1, price: 1 },
    { product: 'sku 1', qty: 1, price: 1 },
    { product: '-sku', qty: 1, price: 1 },
    { product: '', qty: 1, price: 1 },
    { id: 12345, qty: 1, price: 1 },   // a platform's numeric id: "12345"
    { product: 'sku-1', qty: 1, price: 1 },
  ];
  assert.deepEqual(products(items), ['12345', 'sku-1']);
});

test('the items kept are exactly the ids the shared rule accepts', () => {
  const ids = ['sku-1', 'TS-001/BLK:XL', ':x', '/x', 'a'.repeat(128), 'a'.repeat(129), 'a b', 'ä', 'x.y_z', '0'];
  const kept = products(ids.map((product) => ({ product, qty: 1, price: 1 })));
  assert.deepEqual(kept, ids.filter((id) => IDENTIFIER.test(id)));
  // sku-1, TS-001/BLK:XL, 'a' * 128, x.y_z and 0; not ':x', '/x', 'a' * 129, 'a b' or 'ä'.
  assert.equal(kept.length, 5);
});
