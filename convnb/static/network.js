// convnb network explorer: pick a network and a layer; see the receptive field of that
// layer's central output on the input image, and the running totals of parameters and
// multiply-accumulates up to it. The numbers are convnb.networks.summarize's, computed in
// Python and carried in the model (`tables`); this module only draws them (pure
// functions to SVG text), the same way in a kernel and on the static page.

const INK = "#222";
const MACS = "#009E73";
const PARAMS = "#0072B2";
const FIELD = "#E69F00";
const FONT = 13;

export const KEYS = ["tables", "network", "layer"];

const esc = (t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;");
const millions = (v, digits) => (v / 1e6).toFixed(digits);

// Left: the input image (a checkerboard stands in for a photo) and the receptive field.
export function drawField(table, layer, width) {
  const row = table.rows[layer];
  const [, h, w] = table.input_shape;
  const half = row.rf_size / 2;
  const x0 = Math.min(-0.5, row.cx - half - 2);
  const x1 = Math.max(w - 0.5, row.cx + half + 2);
  const y0 = Math.min(-0.5, row.cy - half - 2);
  const y1 = Math.max(h - 0.5, row.cy + half + 2);
  const side = Math.min(width - 4, 300);
  const scale = side / Math.max(x1 - x0, y1 - y0);
  const X = (v) => 2 + (v - x0) * scale;
  const Y = (v) => 66 + (v - y0) * scale;
  const title = `${row.name}: receptive field ${row.rf_size}×${row.rf_size}`;
  const sub = `input ${h}×${w}`;
  const sub2 = `one output step = ${row.rf_jump} input pixel${row.rf_jump > 1 ? "s" : ""}`;
  const cell = 32 * scale;
  let svg =
    `<defs><pattern id="convnb-net-check" width="${2 * cell}" height="${2 * cell}" patternUnits="userSpaceOnUse" x="${X(-0.5)}" y="${Y(-0.5)}">` +
    `<rect width="${2 * cell}" height="${2 * cell}" fill="#d9d9d9"/><rect width="${cell}" height="${cell}" fill="#9a9a9a"/>` +
    `<rect x="${cell}" y="${cell}" width="${cell}" height="${cell}" fill="#9a9a9a"/></pattern></defs>`;
  svg += `<text x="2" y="16" font-size="${FONT}" font-weight="bold" fill="${INK}">${esc(title)}</text>`;
  svg += `<text x="2" y="34" font-size="${FONT}" fill="${INK}">${esc(sub)}</text>`;
  svg += `<text x="2" y="52" font-size="${FONT}" fill="${INK}">${esc(sub2)}</text>`;
  svg += `<rect x="${X(-0.5)}" y="${Y(-0.5)}" width="${w * scale}" height="${h * scale}" fill="url(#convnb-net-check)" stroke="#666"/>`;
  svg += `<rect x="${X(row.cx - half)}" y="${Y(row.cy - half)}" width="${row.rf_size * scale}" height="${row.rf_size * scale}" fill="${FIELD}" fill-opacity="0.18" stroke="${FIELD}" stroke-width="2.5"/>`;
  svg += `<circle cx="${X(row.cx)}" cy="${Y(row.cy)}" r="4" fill="${FIELD}"/>`;
  const height = Math.ceil(Y(y1) + 6);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(Math.max(side, 240) + 4)}" height="${height}" role="img" aria-label="${esc(`${title} on the ${h}x${w} input`)}">${svg}</svg>`;
}

// Right: running totals on a log scale, the chosen layer marked.
export function drawTotals(table, layer, width) {
  const rows = table.rows;
  const n = rows.length;
  let p = 0;
  let m = 0;
  const cumParams = rows.map((r) => (p += r.params));
  const cumMacs = rows.map((r) => (m += r.macs));
  const params = cumParams.map((v) => Math.max(v / 1e6, 1e-3));
  const macs = cumMacs.map((v) => Math.max(v / 1e6, 1e-3));
  const lo = Math.floor(Math.log10(Math.min(...params, ...macs)));
  const hi = Math.ceil(Math.log10(Math.max(...params, ...macs)) + 1e-9);
  const left = 52;
  const top = 98;
  const plotW = Math.max(120, Math.min(width, 640) - left - 24);
  const plotH = 200;
  const step = n > 1 ? plotW / (n - 1) : 0;
  const X = (k) => left + (n > 1 ? k * step : plotW / 2);
  const Y = (v) => top + plotH - ((Math.log10(v) - lo) / Math.max(hi - lo, 1)) * plotH;
  const row = rows[layer];
  const head = `running totals up to ${row.name}:`;
  const totals = `${millions(cumMacs[layer], 1)}M MACs, ${millions(cumParams[layer], 2)}M parameters`;
  const title = `${head} ${totals}`;
  let svg = `<text x="0" y="16" font-size="${FONT}" font-weight="bold" fill="${INK}">${esc(head)}</text>`;
  svg += `<text x="0" y="34" font-size="${FONT}" font-weight="bold" fill="${INK}">${esc(totals)}</text>`;
  // legend
  svg += `<line x1="0" y1="54" x2="18" y2="54" stroke="${MACS}" stroke-width="2.5"/><text x="24" y="58" font-size="${FONT}" fill="${INK}">multiply-accumulates (millions)</text>`;
  svg += `<line x1="0" y1="72" x2="18" y2="72" stroke="${PARAMS}" stroke-width="2.5" stroke-dasharray="5 3"/><text x="24" y="76" font-size="${FONT}" fill="${INK}">parameters (millions)</text>`;
  for (let e = lo; e <= hi; e++) {
    const y = Y(10 ** e);
    svg += `<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`;
    svg += `<text x="${left - 6}" y="${y + 4}" font-size="12" text-anchor="end" fill="${INK}">${e >= 0 ? 10 ** e : (10 ** e).toFixed(-e)}</text>`;
  }
  const line = (vals) => vals.map((v, k) => `${k ? "L" : "M"}${X(k).toFixed(1)} ${Y(v).toFixed(1)}`).join("");
  svg += `<line x1="${X(layer)}" x2="${X(layer)}" y1="${top - 4}" y2="${top + plotH}" stroke="${FIELD}" stroke-width="2" stroke-dasharray="4 3"/>`;
  svg += `<path d="${line(macs)}" fill="none" stroke="${MACS}" stroke-width="2.5"/>`;
  svg += `<path d="${line(params)}" fill="none" stroke="${PARAMS}" stroke-width="2.5" stroke-dasharray="5 3"/>`;
  // layer names, rotated; every k-th one where they would crowd
  const every = Math.max(1, Math.ceil(15 / Math.max(step, 1)));
  let longest = 0;
  rows.forEach((r, k) => {
    if (k % every && k !== layer) return;
    longest = Math.max(longest, r.name.length);
    const bold = k === layer ? ` font-weight="bold"` : "";
    svg += `<text transform="translate(${X(k) - 4},${top + plotH + 8}) rotate(90)" font-size="12"${bold} fill="${INK}">${esc(r.name)}</text>`;
  });
  const height = Math.ceil(top + plotH + 18 + longest * 8.5);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(left + plotW + 24)}" height="${height}" role="img" aria-label="${esc(title)}">${svg}</svg>`;
}

const CSS = `
.convnb-network{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;max-width:100%;overflow:hidden}
.convnb-network .convnb-row{display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;margin:0 0 6px}
.convnb-network label{display:flex;align-items:center;gap:6px;min-width:0;max-width:100%}
.convnb-network select{max-width:100%;min-width:0}
.convnb-network input[type=range]{width:min(260px,50vw)}
.convnb-network .convnb-panels{display:flex;flex-wrap:wrap;gap:12px 24px;align-items:flex-start}
.convnb-network svg{display:block;max-width:100%;height:auto}
`;

function render({ model, el }) {
  const doc = el.ownerDocument;
  if (!doc.getElementById("convnb-network-style")) {
    const style = doc.createElement("style");
    style.id = "convnb-network-style";
    style.textContent = CSS;
    doc.head.appendChild(style);
  }
  let state = Object.fromEntries(KEYS.map((k) => [k, model.get(k)]));
  const root = doc.createElement("div");
  root.className = "convnb-network";
  root.setAttribute("data-convnb-network", "");
  const options = Object.keys(state.tables)
    .map((name) => `<option>${esc(name)}</option>`)
    .join("");
  root.innerHTML =
    `<div class="convnb-row"><label>network <select data-key="network">${options}</select></label>` +
    `<label>layer <input type="range" data-key="layer" min="0" step="1"><output></output></label></div>` +
    `<div class="convnb-panels"></div>`;
  el.appendChild(root);
  const select = root.querySelector("select");
  const slider = root.querySelector("input");
  const panels = root.querySelector(".convnb-panels");
  function redraw() {
    const table = state.tables[state.network];
    select.value = state.network;
    slider.max = table.rows.length - 1;
    slider.value = state.layer;
    slider.nextElementSibling.textContent = `${state.layer}: ${table.rows[state.layer].name}`;
    const width = Math.max(300, root.clientWidth || 700);
    panels.innerHTML = drawField(table, state.layer, width) + drawTotals(table, state.layer, width);
  }
  function apply(change, fromModel = false) {
    state = { ...state, ...change };
    const rows = state.tables[state.network].rows;
    if (change.network !== undefined && change.layer === undefined) state.layer = rows.length - 1;
    state.layer = Math.max(0, Math.min(rows.length - 1, state.layer));
    redraw();
    if (!fromModel) {
      model.set("network", state.network);
      model.set("layer", state.layer);
      model.save_changes();
    }
  }
  select.addEventListener("change", () => apply({ network: select.value }));
  slider.addEventListener("input", () => apply({ layer: Number(slider.value) }));
  const listeners = KEYS.map((k) => {
    const cb = () => {
      if (state[k] !== model.get(k)) apply({ [k]: model.get(k) }, true);
    };
    model.on(`change:${k}`, cb);
    return [k, cb];
  });
  redraw();
  return () => listeners.forEach(([k, cb]) => model.off(`change:${k}`, cb));
}

export default { render };
