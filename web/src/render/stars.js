// The only way the widget builds DOM. Text goes through textContent, never
// innerHTML; links and media must be http(s) URLs; attributes come from a
// fixed allow-list, so a hostile feed cannot add event handlers or styles.

const ATTRIBUTES = new Set([
  'class', 'id', 'role', 'type', 'title', 'lang', 'tabindex', 'hidden', 'disabled', 'for', 'name',
  'value', 'alt', 'width', 'height', 'loading', 'decoding', 'rel', 'target', 'datetime', 'part',
  'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-hidden', 'aria-pressed', 'aria-live',
  'aria-roledescription', 'aria-controls', 'aria-current', 'aria-modal', 'aria-valuenow',
  'aria-valuemin', 'aria-valuemax', 'aria-valuetext', 'checked', 'selected', 'min', 'max',
  'aria-invalid', 'aria-haspopup', 'required', 'maxlength', 'autocomplete', 'novalidate', 'rows',
  'accept', 'multiple',
]);

// An absolute http(s) URL, or null: javascript:, data:, vbscript: and
// malformed URLs never reach an href or src.
export function safeUrl(value) {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch (_) {
    return null;
  }
}

// Text for the page: a string, cut to a sane length so a 1 MB review cannot
// blow up the layout or the main thread.
export function clip(value, max) {
  const text = typeof value === 'string' ? value : value == null ? '' : String(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value == null || value === false) continue;
    if (name === 'href' || name === 'src') {
      const url = safeUrl(value);
      if (url) element.setAttribute(name, url);
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) element.addEventListener(event, handler);
    } else if (ATTRIBUTES.has(name)) {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
}

const SVG = 'http://www.w3.org/2000/svg';

// Five stars, filled to the rating (halves rounded to the nearest tenth).
export function stars(rating, size) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 100 20');
  svg.setAttribute('width', String(size * 5));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'stars');
  const id = 'c' + Math.random().toString(36).slice(2);
  const defs = document.createElementNS(SVG, 'defs');
  const clipPath = document.createElementNS(SVG, 'clipPath');
  clipPath.setAttribute('id', id);
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('width', String(Math.max(0, Math.min(5, rating)) * 20));
  rect.setAttribute('height', '20');
  clipPath.appendChild(rect);
  defs.appendChild(clipPath);
  svg.appendChild(defs);
  const path = 'M10 1.5l2.6 5.6 6.1.7-4.5 4.2 1.2 6-5.4-3-5.4 3 1.2-6L1.3 7.8l6.1-.7z';
  for (const [fill, clip] of [['empty', null], ['full', id]]) {
    const group = document.createElementNS(SVG, 'g');
    group.setAttribute('class', fill);
    if (clip) group.setAttribute('clip-path', `url(#${clip})`);
    for (let i = 0; i < 5; i++) {
      const star = document.createElementNS(SVG, 'path');
      star.setAttribute('d', path);
      star.setAttribute('transform', `translate(${i * 20} 0)`);
      group.appendChild(star);
    }
    svg.appendChild(group);
  }
  return svg;
}
