// convnb sliding explorer: a kernel sliding along a 1-D signal, flipped (convolution) or
// not (cross-correlation), drawn as SVG. Same plan as explorer.js: one ES module, the
// state one plain object, drawSliding(state, width) a pure function to SVG text. The
// output values come from Python (convnb.signal.convolve / correlate, in the model); the
// pairs that meet are `taps`, named like convnb.signal.taps and checked against it.

const INK = "#222";
const COLOURS = { input: "#56B4E9", kernel: "#E69F00", product: "#CC79A7", output: "#009E73" };
const FONT = 13;

export const KEYS = ["signal", "kernel", "shift", "flip", "convolved", "correlated"];

export function taps(n1, n2, shift, flip = false) {
  const start = shift - (n2 - 1); // signal position under the kernel's first slot
  return Array.from({ length: n2 }, (_, j) => [start + j, flip ? n2 - 1 - j : j]);
}

export function fmt(v) {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(2)).toString();
}

const esc = (t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;");

export function drawSliding(st, width) {
  const f = st.signal;
  const g = st.kernel;
  const n = f.length;
  const m = g.length;
  const out = st.flip ? st.convolved : st.correlated;
  const lo = -(m - 1);
  const cols = n + 2 * (m - 1);
  const label = 112;
  const size = Math.floor(Math.max(22, Math.min(44, (width - label - 8) / cols)));
  const x = (pos) => label + (pos - lo) * size;
  const rowY = { input: 30, kernel: 30 + 1.9 * size, products: 30 + 3.8 * size, output: 30 + 5.7 * size };
  const pairs = taps(n, m, st.shift, st.flip);
  const covered = new Set(pairs.map(([i]) => i));
  let svg =
    `<defs><pattern id="convnb-slide-hatch" width="6" height="6" patternUnits="userSpaceOnUse" ` +
    `patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>` +
    `<line x1="0" y1="0" x2="0" y2="6" stroke="#bbb" stroke-width="2"/></pattern></defs>`;
  const cell = (pos, row, value, fill, focus) =>
    `<rect x="${x(pos)}" y="${rowY[row]}" width="${size}" height="${size}" fill="${fill}" ` +
    `stroke="${focus ? INK : "#888"}" stroke-width="${focus ? 2 : 0.6}"/>` +
    `<text x="${x(pos) + size / 2}" y="${rowY[row] + size / 2 + 5}" font-size="${FONT}" text-anchor="middle" fill="${INK}">${esc(value)}</text>`;
  for (let pos = lo; pos < n + m - 1; pos++) {
    const inside = pos >= 0 && pos < n;
    svg += cell(pos, "input", inside ? fmt(f[pos]) : "0", inside ? COLOURS.input : "url(#convnb-slide-hatch)", covered.has(pos));
  }
  for (const [i, j] of pairs) {
    svg += cell(i, "kernel", fmt(g[j]), COLOURS.kernel, true);
    svg += `<text x="${x(i) + size / 2}" y="${rowY.kernel + size + 14}" font-size="12" text-anchor="middle" fill="${INK}">k[${j}]</text>`;
    svg += cell(i, "products", i >= 0 && i < n ? fmt(f[i] * g[j]) : "0", COLOURS.product, false);
  }
  const centre = Math.floor((m - 1) / 2);
  out.forEach((value, k) => {
    svg += cell(k - (m - 1) + centre, "output", fmt(value), k === st.shift ? COLOURS.output : "#fff", k === st.shift);
  });
  const names = { input: "input", kernel: st.flip ? "kernel (flipped)" : "kernel", products: "products", output: "output" };
  for (const [row, y] of Object.entries(rowY))
    svg += `<text x="0" y="${y + size / 2 + 5}" font-size="${FONT}" fill="${INK}">${names[row]}</text>`;
  const title = `${st.flip ? "convolution (kernel flipped)" : "cross-correlation (no flip)"}: out[${st.shift}] = ${fmt(out[st.shift])}`;
  svg += `<text x="0" y="16" font-size="14" font-weight="bold" fill="${INK}">${esc(title)}</text>`;
  const w = Math.ceil(x(n + m - 1) + 4);
  const h = Math.ceil(rowY.output + size + 8);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${svg}</svg>`;
}

const CSS = `
.convnb-sliding{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;max-width:100%;overflow:hidden}
.convnb-sliding .convnb-row{display:flex;flex-wrap:wrap;align-items:center;gap:6px 16px;margin:0 0 6px}
.convnb-sliding label{display:flex;align-items:center;gap:6px}
.convnb-sliding input[type=range]{width:min(260px,60vw)}
.convnb-sliding svg{display:block;max-width:100%;height:auto}
`;

function render({ model, el }) {
  const doc = el.ownerDocument;
  if (!doc.getElementById("convnb-sliding-style")) {
    const style = doc.createElement("style");
    style.id = "convnb-sliding-style";
    style.textContent = CSS;
    doc.head.appendChild(style);
  }
  let state = Object.fromEntries(KEYS.map((k) => [k, model.get(k)]));
  const root = doc.createElement("div");
  root.className = "convnb-sliding";
  root.setAttribute("data-convnb-sliding", "");
  const last = state.signal.length + state.kernel.length - 2;
  root.innerHTML =
    `<div class="convnb-row"><label>output index <input type="range" data-key="shift" min="0" max="${last}" step="1"><output></output></label>` +
    `<label><input type="checkbox" data-key="flip"> flip the kernel (convolution)</label></div><div class="convnb-figure"></div>`;
  el.appendChild(root);
  const slider = root.querySelector("[data-key=shift]");
  const flip = root.querySelector("[data-key=flip]");
  const figure = root.querySelector(".convnb-figure");
  function redraw() {
    slider.value = state.shift;
    slider.nextElementSibling.textContent = state.shift;
    flip.checked = state.flip;
    figure.innerHTML = drawSliding(state, Math.max(300, root.clientWidth || 700));
  }
  function apply(change, fromModel = false) {
    state = { ...state, ...change };
    redraw();
    if (!fromModel) {
      for (const [k, v] of Object.entries(change)) model.set(k, v);
      model.save_changes();
    }
  }
  slider.addEventListener("input", () => apply({ shift: Number(slider.value) }));
  flip.addEventListener("change", () => apply({ flip: flip.checked }));
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
