// Review requests: the orders whose request is due (placed at least N days
// ago, default 14) with a product not reviewed yet, each with its ready
// review links (the product page + #vouch-review=TOKEN: the storefront's
// form opens, the review shows "Verified buyer") and a plain-text e-mail in
// the store's language. Export as CSV, or send them all to the store's
// mailer as one signed JSON webhook. Vouch sends no e-mail itself.
// Server: GET /v1/admin/review-requests, POST /v1/admin/review-requests/send.
import { api, getToken } from './api.js';
import { announce, download, errorBox, h } from './dom.js';
import { dateTime, integer } from './format.js';

const SHOWN = 50;

// Plain-text e-mails per language: {store}, {order} and the product lines.
const TEMPLATES = {
  en: {
    name: 'English',
    subject: (first) => `How is your ${first}?`,
    body: (t) => `Hi,\n\nThank you for your order ${t.order} at ${t.store}. Now that it has arrived, would you tell other shoppers what you think? It takes a minute:\n\n${t.lines}\n\nYour review will show a "Verified buyer" badge.\n\nThank you,\n${t.store}`,
  },
  fr: {
    name: 'Français',
    subject: (first) => `Que pensez-vous de : ${first} ?`,
    body: (t) => `Bonjour,\n\nMerci pour votre commande ${t.order} chez ${t.store}. Maintenant qu'elle est arrivée, voulez-vous dire aux autres clients ce que vous en pensez ? Cela prend une minute :\n\n${t.lines}\n\nVotre avis portera le badge « Achat vérifié ».\n\nMerci,\n${t.store}`,
  },
  de: {
    name: 'Deutsch',
    subject: (first) => `Wie gefällt Ihnen: ${first}?`,
    body: (t) => `Hallo,\n\nvielen Dank für Ihre Bestellung ${t.order} bei ${t.store}. Jetzt, wo sie angekommen ist: Möchten Sie anderen Kunden sagen, wie Sie sie finden? Es dauert nur eine Minute:\n\n${t.lines}\n\nIhre Bewertung trägt das Abzeichen „Verifizierter Kauf“.\n\nVielen Dank,\n${t.store}`,
  },
  es: {
    name: 'Español',
    subject: (first) => `¿Qué te parece: ${first}?`,
    body: (t) => `Hola:\n\nGracias por tu pedido ${t.order} en ${t.store}. Ahora que ha llegado, ¿nos cuentas qué te parece? Solo lleva un minuto:\n\n${t.lines}\n\nTu reseña llevará la insignia «Compra verificada».\n\nGracias,\n${t.store}`,
  },
};

export function emailText(language, store, request, origin) {
  const template = TEMPLATES[language] || TEMPLATES.en;
  const lines = request.products.map((p) => `- ${p.title}: ${absolute(p.link, origin) || '(no product page in the feed)'}`).join('\n');
  return `Subject: ${template.subject(request.products[0].title)}\n\n${template.body({ store, order: request.order_id, lines })}`;
}

function absolute(link, origin) {
  if (!link) return null;
  try { return new URL(link, origin).href; } catch (_) { return link; }
}

// One due order: its products' links and the e-mail text in the chosen language.
function drawRequest(request, { language, store, origin }) {
  const text = emailText(language, store.name, request, origin);
  const copy = h('button', { type: 'button', class: 'secondary copy', onclick: async () => {
    try { await navigator.clipboard.writeText(text); copy.textContent = 'Copied'; announce('E-mail text copied'); }
    catch (_) { copy.textContent = 'Select the text and copy it'; }
    setTimeout(() => { copy.textContent = 'Copy the e-mail'; }, 2000);
  } }, 'Copy the e-mail');
  return h('li', { class: 'ugc', 'data-order': request.order_id },
    h('h3', {}, `Order ${request.order_id}`),
    h('p', { class: 'meta' }, `Ordered ${dateTime(request.at)} · due ${dateTime(request.due_at)} · `,
      request.verified ? 'signed by your backend' : 'reported by the browser'),
    h('ul', { class: 'links' }, request.products.map((p) => h('li', {},
      h('strong', {}, p.title), ' ',
      p.link ? h('code', { class: 'link' }, absolute(p.link, origin)) : h('span', { class: 'muted' }, 'no product page in the feed')))),
    h('details', {}, h('summary', {}, 'E-mail text'), h('pre', { tabindex: '0' }, text), copy));
}

// Export CSV (the server writes it) and Send to my mailer; `delay()` is the chosen delay in days.
function actionButtons(delay, mailer, list, sendResult) {
  const exportButton = h('button', { type: 'button', id: 'rr-export', onclick: async () => {
    try {
      const response = await fetch(`/v1/admin/review-requests?format=csv&delay_days=${encodeURIComponent(delay())}`,
        { headers: { authorization: `Bearer ${getToken()}` }, cache: 'no-store' });
      if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
      download('vouch-review-requests.csv', await response.text());
      announce('CSV downloaded');
    } catch (e) {
      list.prepend(errorBox(e, 'export the review requests'));
    }
  } }, 'Export CSV');
  const sendButton = h('button', { type: 'button', id: 'rr-send', onclick: async () => {
    sendResult.textContent = 'Sending…';
    try {
      const answer = await api(`/v1/admin/review-requests/send?delay_days=${encodeURIComponent(delay())}`,
        { method: 'POST', body: { url: mailer.value.trim() } });
      sendResult.textContent = `Sent ${integer(answer.requests)} requests; your mailer answered HTTP ${answer.mailer_status}.`;
    } catch (e) {
      sendResult.replaceChildren(errorBox(e, 'send the requests to your mailer'));
    }
  } }, 'Send to my mailer');
  return { exportButton, sendButton };
}

export async function render(container) {
  const delay = h('input', { id: 'rr-delay', type: 'number', min: '0', max: '365', value: '14', inputmode: 'numeric' });
  const language = h('select', { id: 'rr-language' },
    Object.entries(TEMPLATES).map(([code, t]) => h('option', { value: code }, t.name)));
  const origin = h('input', { id: 'rr-origin', type: 'url', value: location.origin, size: '32' });
  const mailer = h('input', { id: 'rr-mailer', type: 'url', placeholder: 'https://mailer.example/hooks/reviews', size: '40' });
  const list = h('div', { id: 'requests', 'aria-live': 'polite' });
  const sendResult = h('p', { id: 'rr-send-result', role: 'status' });
  const { exportButton, sendButton } = actionButtons(() => delay.value || '14', mailer, list, sendResult);
  let data = null;

  async function load() {
    try {
      data = await api(`/v1/admin/review-requests?delay_days=${encodeURIComponent(delay.value || '14')}`);
    } catch (e) {
      list.replaceChildren(errorBox(e, 'load the review requests'));
      return;
    }
    const storeLanguage = String(data.store.locale || 'en').split('-')[0];
    if (!language.dataset.chosen && TEMPLATES[storeLanguage]) language.value = storeLanguage;
    draw();
  }

  function draw() {
    if (!data.requests.length) {
      list.replaceChildren(h('p', { class: 'notice ok' }, `No request is due: no order placed ${integer(data.delay_days)} or more days ago has a product left to review.`));
      return;
    }
    const more = data.requests.length > SHOWN ? ` (the first ${SHOWN} shown; the export has all)` : '';
    const shown = { language: language.value, store: data.store, origin: origin.value || location.origin };
    list.replaceChildren(h('p', {}, `${integer(data.requests.length)} ${data.requests.length === 1 ? 'order is' : 'orders are'} due for a review request${more}.`),
      h('ul', { class: 'queue requests' }, data.requests.slice(0, SHOWN).map((request) => drawRequest(request, shown))));
  }

  delay.addEventListener('change', load);
  language.addEventListener('change', () => { language.dataset.chosen = '1'; if (data) draw(); });
  origin.addEventListener('change', () => { if (data) draw(); });
  container.append(
    h('p', { class: 'lede' }, 'Ask your customers for a review once they have had their order for a while. Each link opens the review form on the product page; the review then shows "Verified buyer". Vouch does not send e-mail: copy the text, export a CSV, or send the list to your mailer.'),
    h('div', { class: 'toolbar' },
      h('label', { for: 'rr-delay' }, 'Ask after (days)'), delay,
      h('label', { for: 'rr-language' }, 'E-mail language'), language,
      h('label', { for: 'rr-origin' }, 'Shop address (for links)'), origin,
      exportButton),
    h('div', { class: 'toolbar' },
      h('label', { for: 'rr-mailer' }, 'Mailer webhook URL'), mailer, sendButton),
    sendResult,
    h('p', { class: 'muted' }, 'The webhook is a JSON POST signed like the order webhook (X-Vouch-Signature with your webhook secret).'),
    list);
  await load();
}
