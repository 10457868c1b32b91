// Outbound decoration (vouch-decorate.js): carries the shopper's referral to
// the shop's other sites, e.g. a checkout or a booking page on another
// domain, as ?vouch_ref=<code>|<unix seconds>|<visitor>. The loader imports it only
// when the script tag has data-domains and there is a referral to carry;
// the receiving page's loader stores the touch and removes the parameter.
//
// Decorated: a[href], area[href], iframe[src], and form[action] (a GET form
// gets a hidden input, since submitting it replaces the action's query; a
// POST form gets the parameter in its action). A vouch_ref someone else put
// there is never overwritten. The page is watched with a MutationObserver,
// whose callback runs before the next frame is drawn, so a link added later
// (or an SPA's next view) is decorated before the shopper can see it; the
// same goes for the documents of same-origin frames (srcdoc).
// docs/widget.md, "Outbound decoration".

const PARAM = 'vouch_ref';
const SELECTOR = 'a[href],area[href],iframe[src],form[action]';
const WATCHED = ['href', 'src', 'action', 'method'];

// "checkout.example, *.pay.example" -> (hostname) => whether to decorate it.
// A leading "www." is ignored on both sides; "*.x.com" matches hosts under
// x.com only (a.x.com, a.b.x.com), the apex x.com only when it is listed
// too; the page's own host never matches.
export function domainMatcher(list, currentHost) {
  const bare = (host) => host.trim().toLowerCase().replace(/^www\./, '');
  const entries = String(list).split(',').map(bare).filter(Boolean);
  const here = bare(currentHost);
  return (hostname) => {
    const host = bare(hostname);
    return host !== here && entries.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
  };
}

// The URL's query without our parameter, then with `value` when it is not null.
// The other parameters are kept byte for byte.
function withParam(url, value) {
  const kept = url.search.slice(1).split('&').filter((part) => part && part.split('=')[0] !== PARAM);
  if (value !== null) kept.push(PARAM + '=' + encodeURIComponent(value));
  url.search = kept.length ? '?' + kept.join('&') : '';
  return url.href;
}

const attributeOf = (el) => (el.localName === 'form' ? 'action' : el.localName === 'iframe' ? 'src' : 'href');

export function startDecorating(domains, currentHost) {
  const matches = domainMatcher(domains, currentHost);
  const written = new WeakMap();   // element -> the value we wrote there
  const inputs = new WeakMap();    // GET form -> the hidden input we added
  const documents = new Set();     // the page's document and its same-origin frames'
  const frames = new WeakSet();
  let value = null;

  function setAttribute(el, url) {
    const name = attributeOf(el);
    if (el.getAttribute(name) !== url) el.setAttribute(name, url);
  }

  // The hidden input of a GET form: added, updated or removed, never one of the page's own.
  function formInput(form, want) {
    let input = inputs.get(form);
    if (!input && form.elements.namedItem(PARAM)) return;
    if (want === null) {
      if (input) input.remove(), inputs.delete(form);
      return;
    }
    if (!input) {
      input = form.ownerDocument.createElement('input');
      input.type = 'hidden';
      input.name = PARAM;
      inputs.set(form, input);
    }
    input.value = want;
    if (input.parentNode !== form) form.appendChild(input);
  }

  function decorate(el) {
    let url;
    try {
      url = new URL(el.getAttribute(attributeOf(el)), el.baseURI);
    } catch (_) {
      return;
    }
    const mine = written.get(el);
    const want = /^https?:$/.test(url.protocol) && matches(url.hostname) ? value : null;
    if (want === null && mine === undefined && !inputs.has(el)) return;
    const get = el.localName === 'form' && el.method === 'get';
    if (el.localName === 'form') formInput(el, get ? want : null);
    const present = url.searchParams.get(PARAM);
    if (present !== null && present !== mine) return;   // the page's own vouch_ref
    const inQuery = get ? null : want;
    if (present === inQuery) return;
    setAttribute(el, withParam(url, inQuery));
    if (inQuery === null) written.delete(el);
    else written.set(el, inQuery);
  }

  function scan(root) {
    if (root.matches && root.matches(SELECTOR)) decorate(root);
    root.querySelectorAll(SELECTOR).forEach(decorate);
    if (root.localName === 'iframe') watchFrame(root);
    root.querySelectorAll('iframe').forEach(watchFrame);
  }

  // A frame whose document is the page's origin (srcdoc, about:blank) is
  // watched too, each time it loads a document.
  function watchFrame(frame) {
    const inner = () => {
      try {
        if (frame.contentDocument) watch(frame.contentDocument);
      } catch (_) { /* another origin: not ours to touch */ }
    };
    if (!frames.has(frame)) {
      frames.add(frame);
      frame.addEventListener('load', inner);
    }
    inner();
  }

  function watch(doc) {
    if (documents.has(doc)) return;
    documents.add(doc);
    scan(doc);
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') {
          if (record.target.matches(SELECTOR)) decorate(record.target);
        } else {
          record.addedNodes.forEach((node) => node.nodeType === 1 && scan(node));
        }
      }
    }).observe(doc, { subtree: true, childList: true, attributes: true, attributeFilter: WATCHED });
  }

  watch(document);
  return {
    // The referral to carry ("CODE|SECONDS"), or null to take back every
    // parameter and input this module added (consent withdrawn).
    set(next) {
      value = next;
      for (const doc of documents) {
        if (doc.defaultView) doc.querySelectorAll(SELECTOR).forEach(decorate);
        else documents.delete(doc);   // a frame's former document
      }
    },
  };
}
