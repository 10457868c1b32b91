// The rating stars, drawn as SVG (the DOM builder is web/shared/dom.js).

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
