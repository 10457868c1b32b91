// The widget's stylesheet, adopted into each placement's shadow root (a
// constructed sheet, so a strict CSP without 'unsafe-inline' allows it).
// By default everything inherits the shop's font and text colour; the
// --vouch-* custom properties theme it. Heights match the space the loader
// and the shop's stylesheet reserve, so rendering never shifts the page.

export const CSS = `
:host { all: initial; display: block; color: inherit; font: inherit; line-height: 1.45;
  font-family: var(--vouch-font, inherit); }
:host([data-vouch=rating-badge]) { display: inline-block; width: 9em; height: 1.5em; vertical-align: middle;
  contain: strict; }
:host([data-vouch=rating-badge]) .root { height: 100%; }
* { box-sizing: border-box; }
.root { --accent: var(--vouch-accent, #1f5f4a); --on-accent: var(--vouch-on-accent, #fff);
  --star: var(--vouch-star, #d69e00); --radius: var(--vouch-radius, 12px);
  --line: var(--vouch-border, color-mix(in srgb, currentColor 16%, transparent));
  --card: var(--vouch-surface, color-mix(in srgb, currentColor 4%, transparent));
  --muted: color-mix(in srgb, currentColor 74%, transparent);
  color: var(--vouch-text, inherit); }
.root.light { color: var(--vouch-text, #1d2321); background: var(--vouch-bg, #fff); color-scheme: light; }
.root.dark { color: var(--vouch-text, #eef2f0); background: var(--vouch-bg, #151a18); color-scheme: dark;
  --accent: var(--vouch-accent, #8fd3b6); --on-accent: var(--vouch-on-accent, #0d1f18); }
@media (prefers-color-scheme: dark) { .root.auto { --accent: var(--vouch-accent, #8fd3b6); --on-accent: var(--vouch-on-accent, #0d1f18); } }
h2, h3, p { margin: 0; }
h2 { font-size: 1.35em; font-weight: 650; letter-spacing: -0.01em; }
h3 { font-size: 1em; font-weight: 650; }
button, select { font: inherit; color: inherit; }
a { color: inherit; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; border-radius: 6px; }
.muted { color: var(--muted); }
.stars .empty { fill: color-mix(in srgb, currentColor 22%, transparent); }
.stars .full { fill: var(--star); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.btn { display: inline-flex; align-items: center; gap: .4em; min-height: 40px; padding: .45em 1em;
  border-radius: 999px; border: 1px solid var(--line); background: transparent; cursor: pointer; }
.btn:hover { border-color: currentColor; }
.btn.primary { background: var(--accent); color: var(--on-accent); border-color: var(--accent); font-weight: 600; }
.btn[disabled] { cursor: default; opacity: .45; }
.btn[disabled]:hover { border-color: var(--line); }
.skeleton { border-radius: var(--radius); background: var(--card); }

/* social proof */
.proof { position: relative; display: flex; flex-direction: column; gap: 16px; height: var(--vouch-social-proof-height, 600px); overflow: hidden; }
.summary { display: grid; grid-template-columns: auto minmax(180px, 320px) 1fr; gap: 12px 32px; align-items: center; }
.score { display: grid; gap: 2px; }
.score .big { font-size: 2.6em; font-weight: 700; line-height: 1; letter-spacing: -0.02em; }
.histogram { display: grid; gap: 4px; margin: 0; padding: 0; list-style: none; }
.histogram li { display: grid; grid-template-columns: 2.2em 1fr 2.6em; gap: 8px; align-items: center; font-size: .85em; }
.bar { height: 8px; border-radius: 999px; background: var(--line); overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--star); border-radius: 999px; }
.facts { display: grid; gap: 6px; justify-items: start; font-size: .92em; }
.rail { position: relative; display: flex; gap: 14px; overflow-x: auto; scroll-snap-type: x mandatory; padding: 2px 2px 10px;
  flex: 1; min-height: 0; margin: 0; list-style: none; overscroll-behavior-x: contain; }
.rail > li { scroll-snap-align: start; flex: 0 0 clamp(240px, 78%, 290px); display: flex; min-height: 0; }
.rail > li > * { flex: 1; }
.card { position: relative; display: flex; flex-direction: column; gap: 6px;
  padding: 14px; border: 1px solid var(--line); border-radius: var(--radius); background: var(--card); overflow: hidden; min-height: 0; }
.card.creator { border-color: color-mix(in srgb, var(--accent) 55%, transparent); }
.card img.photo { width: 100%; height: 110px; object-fit: cover; border-radius: calc(var(--radius) - 4px); background: var(--line); flex: none; }
.card .body { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 4; overflow: hidden; overflow-wrap: anywhere; font-size: .93em; }
.card.has-photo .body { -webkit-line-clamp: 2; }
.card h3 { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.byline { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: center; font-size: .85em; margin-top: auto; overflow-wrap: anywhere; }
.badge { align-self: flex-start; justify-self: start; display: inline-flex; align-items: center; gap: 3px; padding: 1px 8px; border-radius: 999px; font-size: .78em; font-weight: 600;
  background: color-mix(in srgb, var(--accent) 14%, transparent); }
.helpful { min-height: 32px; padding: .2em .8em; font-size: .85em; align-self: flex-start; }
.empty-note { padding: 24px; border: 1px dashed var(--line); border-radius: var(--radius); }
.footer { display: flex; justify-content: space-between; align-items: center; gap: 12px; flex-wrap: wrap; }
.footer .actions { display: flex; gap: 10px; flex-wrap: wrap; margin-left: auto; }
@media (max-width: 600px) {
  .proof { height: var(--vouch-social-proof-height-narrow, 780px); }
  .summary { grid-template-columns: 1fr; }
  .score { grid-template-columns: auto 1fr; align-items: center; gap: 2px 12px; }
  .score .big { grid-row: span 2; }
}

/* the See-all dialog */
dialog { width: min(760px, calc(100vw - 24px)); max-height: calc(100vh - 24px); padding: 0; border: 1px solid var(--line);
  border-radius: var(--radius); background: var(--vouch-dialog-bg, Canvas); color: var(--vouch-dialog-text, CanvasText); }
dialog::backdrop { background: rgb(0 0 0 / .45); }
.dialog { display: flex; flex-direction: column; max-height: calc(100vh - 26px); }
.dialog header, .dialog .controls, .dialog nav { padding: 14px 18px; display: flex; gap: 10px 16px; flex-wrap: wrap; align-items: center; }
.dialog header { justify-content: space-between; border-bottom: 1px solid var(--line); }
.dialog .list { overflow-y: auto; padding: 4px 18px 12px; display: grid; gap: 12px; margin: 0; list-style: none; }
.dialog .list .card { flex: none; }
.dialog .list .card .body { -webkit-line-clamp: unset; display: block; }
.dialog nav { justify-content: space-between; border-top: 1px solid var(--line); }
label.check { display: inline-flex; gap: 6px; align-items: center; }
select { min-height: 36px; border: 1px solid var(--line); border-radius: 8px; background: transparent; padding: 0 8px; }
select option { color: CanvasText; background: Canvas; }

/* influencer picks */
.picks { display: flex; flex-direction: column; gap: 14px; height: var(--vouch-picks-height, 470px); overflow: hidden; }
.picks-head { display: flex; justify-content: space-between; align-items: end; gap: 12px; }
.welcome { display: flex; gap: 10px; align-items: center; font-size: .95em; }
.welcome img { width: 36px; height: 36px; border-radius: 50%; }
.arrows { display: flex; gap: 8px; }
.arrows .btn { width: 40px; padding: 0; justify-content: center; }
.pick { scroll-snap-align: start; flex: 0 0 clamp(220px, 70%, 250px); display: flex; flex-direction: column; border: 1px solid var(--line);
  border-radius: var(--radius); overflow: hidden; background: var(--card); min-height: 0; }
.pick .media { position: relative; height: 170px; flex: none; background: var(--line); }
.pick .media img.product { width: 100%; height: 100%; object-fit: cover; display: block; }
.pick .creator { position: absolute; left: 10px; bottom: -16px; display: flex; align-items: center; gap: 6px; }
.pick .creator img { width: 40px; height: 40px; border-radius: 50%; border: 3px solid var(--vouch-avatar-ring, Canvas); background: Canvas; }
.pick .text { display: flex; flex-direction: column; gap: 6px; padding: 22px 14px 14px; flex: 1; min-height: 0; }
.pick .handle { font-size: .85em; font-weight: 600; }
.pick blockquote { margin: 0; font-style: italic; display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden; overflow-wrap: anywhere; font-size: .92em; }
.pick .title { font-weight: 650; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-decoration: none; }
.pick .title::after { content: ""; position: absolute; inset: 0; }
.pick { position: relative; }
.pick .meta { display: flex; justify-content: space-between; align-items: center; margin-top: auto; font-size: .9em; }

@media (max-width: 600px) {
  .picks h2 { font-size: 1.15em; }
  .welcome { font-size: .88em; }
  .welcome img { width: 28px; height: 28px; }
  .pick .media { height: 120px; }
  .pick .text { gap: 4px; padding-top: 20px; }
}
.card.creator .body { -webkit-line-clamp: 4; }

/* rating badge */
/* The host is a fixed 9em x 1.5em box with contain: strict, the same box the
   page reserves, so whatever the shop's font, what renders inside cannot move
   the line it sits on. The content is sized in em to fit that box. */
.rating { display: flex; align-items: center; gap: .3em; height: 100%; overflow: hidden; white-space: nowrap;
  font-size: .85em; line-height: 1; }
.rating .stars { width: 5em; height: 1em; flex: none; }
`;

let sheet = null;
export function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
