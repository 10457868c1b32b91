<?php
/**
 * Plugin Name:          Vouch for WooCommerce
 * Description:          Copies Vouch's first-party cookies (vouch_vid, vouch_ref) into the order's meta at checkout, so that WooCommerce's order webhook carries the visitor and the referral to your Vouch server.
 * Version:              1.0.0
 * Requires at least:    6.0
 * Requires PHP:         7.4
 * WC requires at least: 7.0
 * License:              MIT
 *
 * The Vouch loader keeps the visitor id in the vouch_vid cookie ("v-" and 24
 * hex digits) and the latest referral in vouch_ref ("CODE|unix seconds").
 * This plugin writes them, as they are, to the order meta keys _vouch_vid and
 * _vouch_ref, which `vouch serve` reads from the order.created / order.updated
 * webhooks (docs/shopify.md, "WooCommerce"). Values of any other shape are
 * not copied. Nothing else is read, stored or sent.
 */

defined( 'ABSPATH' ) || exit;

/**
 * The cookie's value when it has the shape Vouch writes, else ''.
 *
 * @param string $name    Cookie name.
 * @param string $pattern The shape it must have.
 * @return string
 */
function vouch_cookie( $name, $pattern ) {
	if ( ! isset( $_COOKIE[ $name ] ) || ! is_string( $_COOKIE[ $name ] ) ) {
		return '';
	}
	$value = sanitize_text_field( wp_unslash( $_COOKIE[ $name ] ) );
	return preg_match( $pattern, $value ) ? $value : '';
}

/**
 * Copies the visitor id and the referral into the order being placed.
 *
 * @param WC_Order $order The order the checkout is creating.
 */
function vouch_copy_cookies_to_order( $order ) {
	$visitor  = vouch_cookie( 'vouch_vid', '/^v-[0-9a-f]{24}$/' );
	$referral = vouch_cookie( 'vouch_ref', '/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\|[0-9]{1,12}$/' );
	if ( '' !== $visitor ) {
		$order->update_meta_data( '_vouch_vid', $visitor );
	}
	if ( '' !== $referral ) {
		$order->update_meta_data( '_vouch_ref', $referral );
	}
}

// The classic checkout (before the order is first saved) and the checkout
// block (Store API; the order is saved after this hook).
add_action( 'woocommerce_checkout_create_order', 'vouch_copy_cookies_to_order' );
add_action( 'woocommerce_store_api_checkout_update_order_from_request', 'vouch_copy_cookies_to_order' );

// Orders in WooCommerce's own tables (HPOS) or in posts: the plugin uses only the order API.
add_action(
	'before_woocommerce_init',
	function () {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
		}
	}
);
