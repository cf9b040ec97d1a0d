// convnb explorer: one 2-D convolution layer you can reshape, drawn as SVG.
//
// One ES module, no build step, no framework. The same file is the anywidget front-end in
// Jupyter, Binder and Colab (`export default { render }`), and on the static book page,
// where _ext/static/convnb-widgets.js calls render() with a small model shim.
// The state is one plain object; draw*(state, ...) are pure functions to SVG text. The
// geometry functions are named like convnb's Python ones and are checked against the
// package by tests/book/test_explorer.py (300 random layers), not trusted.

const PALETTE = {
  // Okabe-Ito: colour-blind safe
  tap: "#0072B2",
  hole: "#56B4E9",
  selected: "#E69F00",
  groups: ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"],
  ink: "#222",
  grid: "#888",
  pad: "#bbb",
  error: "#b00020",
};

export const KEYS = [
  "in_size",
  "kernel_size",
  "stride",
  "padding",
  "dilation",
  "in_channels",
  "out_channels",
  "groups",
  "transposed",
  "output_padding",
  "position",
  "out_channel",
];

// ---- geometry: the package's rules and error messages -------------------------------

export class ConvError extends Error {}

const repr = (v) => (typeof v === "string" ? `'${v}'` : String(v));

export function checkGroups(inChannels, outChannels, groups) {
  if (groups < 1) throw new ConvError(`groups=${groups} must be positive`);
  if (inChannels < 1 || outChannels < 1)
    throw new ConvError(
      `in_channels=${inChannels} and out_channels=${outChannels} must be positive`,
    );
  if (inChannels % groups) throw new ConvError(`groups=${groups} does not divide in_channels=${inChannels}`);
  if (outChannels % groups)
    throw new ConvError(`groups=${groups} does not divide out_channels=${outChannels}`);
}

export function samePadding(inputSize, kernelSize, stride = 1, dilation = 1) {
  const out = Math.ceil(inputSize / stride);
  const total = Math.max((out - 1) * stride + dilation * (kernelSize - 1) + 1 - inputSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export function resolvePadding(padding, inputSize, kernelSize, stride = 1, dilation = 1) {
  if (padding === "valid") return [0, 0];
  if (padding === "same") return samePadding(inputSize, kernelSize, stride, dilation);
  if (typeof padding === "string")
    throw new ConvError(
      `padding=${repr(padding)} is not one of ('valid', 'same'), an int, or a sequence of them`,
    );
  if (padding < 0) throw new ConvError(`padding=${padding} must be non-negative`);
  return [padding, padding];
}

export function convOutputSize(inputSize, kernelSize, stride = 1, padding = [0, 0], dilation = 1) {
  const [before, after] = padding;
  const span = dilation * (kernelSize - 1) + 1;
  const padded = inputSize + before + after;
  if (span > padded)
    throw new ConvError(
      `the dilated kernel spans ${span} samples (kernel_size=${kernelSize}, dilation=${dilation}), ` +
        `more than the padded input of ${padded} (input_size=${inputSize}, padding=${before}+${after})`,
    );
  return Math.floor((padded - span) / stride) + 1;
}

export function convTransposeOutputSize(i, k, s = 1, p = 0, d = 1, outputPadding = 0) {
  if (typeof p === "string") throw new ConvError(`padding must be an integer, got ${repr(p)}`);
  if (p < 0) throw new ConvError(`padding=${p} must be non-negative`);
  if (!(outputPadding >= 0 && outputPadding < Math.max(s, d)))
    throw new ConvError(
      `output_padding=${outputPadding} must be non-negative and smaller than stride=${s} or dilation=${d}`,
    );
  const o = (i - 1) * s - 2 * p + d * (k - 1) + outputPadding + 1;
  if (o < 1)
    throw new ConvError(`padding=${p} trims the whole output (input_size=${i}, kernel_size=${k}, stride=${s})`);
  return o;
}

// Coordinates that `position` reads (a convolution) or writes (a transposed one, in the
// trimmed output), one per kernel tap in row-major tap order, padding included.
export function footprint(position, kernelSize, stride = 1, before = 0, dilation = 1) {
  const [r, c] = position;
  const taps = [];
  for (let a = 0; a < kernelSize; a++)
    for (let b = 0; b < kernelSize; b++)
      taps.push([r * stride - before + a * dilation, c * stride - before + b * dilation]);
  return taps;
}

export function inputChannels(outChannel, inChannels, outChannels, groups = 1) {
  const group = Math.floor(outChannel / (outChannels / groups));
  const per = inChannels / groups;
  return Array.from({ length: per }, (_, n) => group * per + n);
}

export function overlapCounts(i, k, s, p, d, outputPadding) {
  const o = convTransposeOutputSize(i, k, s, p, d, outputPadding);
  const counts = Array.from({ length: o }, () => new Array(o).fill(0));
  for (let r = 0; r < i; r++)
    for (let c = 0; c < i; c++)
      for (const [y, x] of footprint([r, c], k, s, p, d))
        if (y >= 0 && y < o && x >= 0 && x < o) counts[y][x] += 1;
  return counts;
}

const inside = (n) => ([y, x]) => y >= 0 && y < n && x >= 0 && x < n;
const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

// Everything the picture and the read-outs need; {error} for an invalid layer, checked in
// the order convnb.conv2d / conv_transpose2d check it.
export function analyse(state) {
  const { in_size: i, kernel_size: k, stride: s, dilation: d, groups: g } = state;
  const { in_channels: cIn, out_channels: cOut } = state;
  try {
    let out, before, after, grid, fp, pos;
    if (state.transposed) {
      out = convTransposeOutputSize(i, k, s, state.padding, d, state.output_padding);
      checkGroups(cIn, cOut, g);
      before = after = state.padding;
      grid = i; // the selected cell is an input cell
      pos = state.position.map((v) => clamp(v, 0, i - 1));
      fp = footprint(pos, k, s, before, d).filter(inside(out));
    } else {
      checkGroups(cIn, cOut, g);
      [before, after] = resolvePadding(state.padding, i, k, s, d);
      out = convOutputSize(i, k, s, [before, after], d);
      grid = out;
      pos = state.position.map((v) => clamp(v, 0, out - 1));
      fp = footprint(pos, k, s, before, d).filter(inside(i));
    }
    const oc = clamp(state.out_channel, 0, cOut - 1);
    const macsPer = state.transposed ? i * i : out * out;
    return {
      error: null,
      output_size: out,
      before,
      after,
      grid,
      position: pos,
      out_channel: oc,
      footprint: fp,
      channels: inputChannels(oc, cIn, cOut, g),
      parameters: cOut * (cIn / g) * k * k,
      macs: state.transposed ? macsPer * cIn * (cOut / g) * k * k : macsPer * cOut * (cIn / g) * k * k,
      receptive_field: d * (k - 1) + 1,
    };
  } catch (err) {
    if (err instanceof ConvError) return { error: err.message };
    throw err;
  }
}

// ---- the layer's code, as convnb.frameworks writes it ---------------------------------

export function pytorchCode(st) {
  const { in_channels: cIn, out_channels: cOut, kernel_size: k, stride: s, dilation: d } = st;
  const args = [String(cIn), String(cOut), `kernel_size=${k}`];
  let padLayer = null;
  if (s !== 1) args.push(`stride=${s}`);
  if (st.padding === "same" && s !== 1 && !st.transposed) {
    const [top, bottom] = samePadding(st.in_size, k, s, d);
    padLayer = `torch.nn.ZeroPad2d((${top}, ${bottom}, ${top}, ${bottom}))`;
  } else if (st.padding !== 0 && st.padding !== "valid") {
    args.push(`padding=${repr(st.padding)}`);
  }
  if (st.transposed && st.output_padding) args.push(`output_padding=${st.output_padding}`);
  if (st.groups !== 1) args.push(`groups=${st.groups}`);
  if (d !== 1) args.push(`dilation=${d}`);
  args.push("bias=False");
  const layer = `torch.nn.${st.transposed ? "ConvTranspose2d" : "Conv2d"}(${args.join(", ")})`;
  if (padLayer)
    return `torch.nn.Sequential(\n    ${padLayer},  # TensorFlow's "same" for stride ${s}\n    ${layer},\n)`;
  return layer;
}

export function kerasCode(st) {
  const { in_channels: cIn, out_channels: cOut, kernel_size: k, stride: s, dilation: d } = st;
  const g = st.groups;
  const explicit = !["same", "valid", 0].includes(st.padding);
  const common = [`kernel_size=${k}`];
  if (s !== 1) common.push(`strides=${s}`);
  common.push(`padding="${st.padding === "same" ? "same" : "valid"}"`);
  const notes = [];
  if (d !== 1) {
    common.push(`dilation_rate=${d}`);
    if (s !== 1 && !st.transposed)
      notes.push("# note: Keras refuses dilation_rate > 1 together with strides > 1");
  }
  let layer;
  if (st.transposed) {
    if (st.output_padding) common.push(`output_padding=${st.output_padding}`);
    if (g !== 1) notes.push("# note: Keras's Conv2DTranspose has no groups");
    layer = `tf.keras.layers.Conv2DTranspose(filters=${cOut}, ${common.join(", ")}`;
  } else if (g === cIn && g > 1) {
    layer = `tf.keras.layers.DepthwiseConv2D(${common.join(", ")}, depth_multiplier=${cOut / cIn}`;
  } else {
    layer = `tf.keras.layers.Conv2D(filters=${cOut}, ${common.join(", ")}${g !== 1 ? `, groups=${g}` : ""}`;
  }
  layer += ", use_bias=False)";
  const lines = [...notes];
  if (explicit && !st.transposed)
    lines.push("tf.keras.Sequential([", `    tf.keras.layers.ZeroPadding2D(${st.padding}),`, `    ${layer},`, "])");
  else if (explicit)
    lines.push("tf.keras.Sequential([", `    ${layer},`, `    tf.keras.layers.Cropping2D(${st.padding}),`, "])");
  else lines.push(layer);
  return lines.join("\n");
}

// ---- drawing: pure functions from state to SVG text ------------------------------------

const FONT = 13; // CSS px; the SVG is drawn at its displayed size, never scaled down
const esc = (t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const text = (x, y, t, extra = "") =>
  `<text x="${x}" y="${y}" font-size="${FONT}" fill="${PALETTE.ink}" ${extra}>${esc(t)}</text>`;
const rect = (x, y, w, h, attrs) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" ${attrs}/>`;

const DEFS =
  `<defs><pattern id="convnb-hatch" width="6" height="6" patternUnits="userSpaceOnUse" ` +
  `patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>` +
  `<line x1="0" y1="0" x2="0" y2="6" stroke="${PALETTE.pad}" stroke-width="2"/></pattern></defs>`;

// One square grid of n x n cells at (x0, y0): a fill per cell that is not white, and all
// the cell borders as one path (a few DOM nodes, not one per cell: redraws stay fast).
function grid(x0, y0, n, size, fill) {
  let out = "";
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++) {
      const f = fill(r, c);
      if (f !== "#fff") out += rect(x0 + c * size, y0 + r * size, size, size, `fill="${f}"`);
    }
  let d = "";
  for (let j = 0; j <= n; j++)
    d += `M${x0} ${y0 + j * size}h${n * size}M${x0 + j * size} ${y0}v${n * size}`;
  return out + `<path d="${d}" fill="none" stroke="${PALETTE.grid}" stroke-width="0.6"/>`;
}

function legend(x, y, items, width) {
  // items: [swatch attrs, label]; wraps to the width
  let out = "";
  let cx = x;
  let cy = y;
  for (const [attrs, label] of items) {
    const w = 22 + label.length * 7.2;
    if (cx + w > x + width && cx > x) {
      cx = x;
      cy += 20;
    }
    out += rect(cx, cy - 11, 13, 13, attrs) + text(cx + 18, cy, label);
    cx += w + 12;
  }
  return { svg: out, bottom: cy + 8 };
}

// The spatial picture: input (padding hatched), the window's taps and holes, the output
// with the selected cell; in transposed mode the scatter with its overlap counts.
export function drawSpatial(state, info, width) {
  const st = state;
  const k = st.kernel_size;
  const d = st.dilation;
  const gap = 36;
  const top = 24;
  let leftN; // cells of the left grid, including padding
  let rightN;
  if (st.transposed) {
    leftN = st.in_size;
    // the scatter area before padding trims it, and any cells output_padding adds past it
    const full = (st.in_size - 1) * st.stride + d * (k - 1) + 1;
    rightN = Math.max(full, info.before + info.output_size);
  } else {
    leftN = st.in_size + info.before + info.after;
    rightN = info.output_size;
  }
  const side = (width - gap - 4) / (leftN + rightN);
  const stacked = side < 16;
  const size = Math.floor(Math.min(30, stacked ? (width - 4) / Math.max(leftN, rightN) : side));
  const lx = 2;
  const ly = top;
  const rx = stacked ? 2 : lx + leftN * size + gap;
  const ry = stacked ? ly + leftN * size + top + 16 : top;
  let svg = DEFS;
  const fp = new Set(info.footprint.map(([y, x]) => `${y},${x}`));
  const [pr, pc] = info.position;
  if (!st.transposed) {
    const b = info.before;
    const i = st.in_size;
    const isPad = (r, c) => r < b || c < b || r >= b + i || c >= b + i;
    svg += grid(lx, ly, leftN, size, (r, c) => (isPad(r, c) ? "url(#convnb-hatch)" : "#fff"));
    // the window: its span, its taps (filled) and the holes between them (dashed)
    const r0 = pr * st.stride;
    const c0 = pc * st.stride;
    const span = d * (k - 1) + 1;
    for (let a = 0; a < span; a++)
      for (let e = 0; e < span; e++) {
        const tap = a % d === 0 && e % d === 0;
        const x = lx + (c0 + e) * size;
        const y = ly + (r0 + a) * size;
        svg += tap
          ? rect(x + 1, y + 1, size - 2, size - 2, `fill="${PALETTE.tap}" fill-opacity="${isPad(r0 + a, c0 + e) ? 0.35 : 0.85}" data-tap="1"`)
          : rect(x + 3, y + 3, size - 6, size - 6, `fill="none" stroke="${PALETTE.hole}" stroke-width="1.5" stroke-dasharray="3 2" data-hole="1"`);
      }
    svg += rect(lx + c0 * size, ly + r0 * size, span * size, span * size, `fill="none" stroke="${PALETTE.ink}" stroke-width="2"`);
    const label = b || info.after ? `input ${i}×${i} (padded ${leftN}×${leftN})` : `input ${i}×${i}`;
    svg += text(lx, ly - 8, label);
    const o = info.output_size;
    svg += grid(rx, ry, o, size, (r, c) => (r === pr && c === pc ? PALETTE.selected : "#fff"));
    svg += text(rx, ry - 8, `output ${o}×${o}`);
  } else {
    const i = st.in_size;
    const p = info.before;
    const o = info.output_size;
    svg += grid(lx, ly, i, size, (r, c) => (r === pr && c === pc ? PALETTE.selected : "#fff"));
    svg += text(lx, ly - 8, `input ${i}×${i}`);
    const counts = overlapCounts(i, k, st.stride, p, d, st.output_padding);
    const max = Math.max(1, ...counts.flat());
    const kept = (r, c) => r >= p && c >= p && r < p + o && c < p + o;
    const extra = (r, c) => kept(r, c) && (r - p >= o - st.output_padding || c - p >= o - st.output_padding);
    svg += grid(rx, ry, rightN, size, (r, c) => {
      if (!kept(r, c)) return "url(#convnb-hatch)";
      const n = counts[r - p][c - p];
      return n ? `rgba(0,114,178,${(0.08 + (0.3 * n) / max).toFixed(3)})` : "#fff";
    });
    for (let r = 0; r < rightN; r++)
      for (let c = 0; c < rightN; c++) {
        const x = rx + c * size;
        const y = ry + r * size;
        if (kept(r, c) && extra(r, c))
          svg += rect(x + 2, y + 2, size - 4, size - 4, `fill="none" stroke="${PALETTE.selected}" stroke-dasharray="2 2"`);
        if (fp.has(`${r - p},${c - p}`))
          svg += rect(x + 1, y + 1, size - 2, size - 2, `fill="none" stroke="${PALETTE.tap}" stroke-width="2.5" data-tap="1"`);
        if (kept(r, c) && size >= 16)
          svg += `<text x="${x + size / 2}" y="${y + size / 2 + 4}" font-size="12" text-anchor="middle" fill="${PALETTE.ink}">${counts[r - p][c - p]}</text>`;
      }
    // where the selected input's (untrimmed) footprint falls in the trimmed area
    for (const [y, x] of footprint(info.position, k, st.stride, 0, d))
      if (!kept(y, x))
        svg += rect(rx + x * size + 1, ry + y * size + 1, size - 2, size - 2, `fill="none" stroke="${PALETTE.tap}" stroke-width="1.5" stroke-dasharray="3 2"`);
    svg += text(rx, ry - 8, `output ${o}×${o}`);
  }
  let bottom = Math.max(ly + leftN * size, ry + rightN * size) + 22;
  const items = st.transposed
    ? [
        [`fill="${PALETTE.selected}"`, "selected input"],
        [`fill="none" stroke="${PALETTE.tap}" stroke-width="2.5"`, "cells it writes"],
        [`fill="url(#convnb-hatch)"`, "trimmed by padding"],
        [`fill="none" stroke="${PALETTE.selected}" stroke-dasharray="2 2"`, "output_padding"],
        [`fill="rgba(0,114,178,0.3)"`, "number = overlap count"],
      ]
    : [
        [`fill="${PALETTE.tap}"`, "taps"],
        [`fill="none" stroke="${PALETTE.hole}" stroke-dasharray="3 2"`, "holes (dilation)"],
        [`fill="url(#convnb-hatch)"`, "padding"],
        [`fill="${PALETTE.selected}"`, "selected output"],
      ];
  const leg = legend(2, bottom, items, width - 4);
  svg += leg.svg;
  bottom = leg.bottom + 4;
  const w = Math.ceil(stacked ? width : rx + rightN * size + 4);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="convnb-spatial" width="${Math.max(w, Math.min(width, 380))}" height="${Math.ceil(bottom)}" role="img" aria-label="${esc(spatialLabel(st, info))}">${svg}</svg>`;
}

function spatialLabel(st, info) {
  if (st.transposed)
    return `transposed convolution: input cell ${info.position} of a ${st.in_size}x${st.in_size} input writes ${info.footprint.length} cells of the ${info.output_size}x${info.output_size} output`;
  return `output cell ${info.position} of the ${info.output_size}x${info.output_size} output reads ${info.footprint.length} cells of the ${st.in_size}x${st.in_size} input`;
}

// The channels: input channels on top, output channels below, a line for every pair that
// is connected (block-diagonal for groups), the selected output channel's lines strong.
export function drawChannels(state, info, width) {
  const cIn = state.in_channels;
  const cOut = state.out_channels;
  const g = state.groups;
  const n = Math.max(cIn, cOut);
  const step = Math.min(34, Math.floor((width - 8) / n));
  const box = Math.max(step - 4, 6);
  const y1 = 22;
  const y2 = 120;
  const x = (c, count) => 4 + (n - count) * step * 0.5 + c * step;
  const colour = (c, per) => PALETTE.groups[Math.floor(c / per) % PALETTE.groups.length];
  let svg = "";
  const perIn = cIn / g;
  const perOut = cOut / g;
  const read = new Set(info.channels);
  // one path per group for its connections, and one for the selected output channel's
  const paths = new Array(g).fill("");
  let strong = "";
  for (let o = 0; o < cOut; o++)
    for (const c of inputChannels(o, cIn, cOut, g)) {
      const seg = `M${x(c, cIn) + box / 2} ${y1 + box}L${x(o, cOut) + box / 2} ${y2}`;
      if (o === info.out_channel) strong += seg;
      else paths[Math.floor(o / perOut)] += seg;
    }
  paths.forEach((d, k) => {
    if (d) svg += `<path d="${d}" stroke="${colour(k * perOut, perOut)}" stroke-opacity="0.35" stroke-width="1" fill="none"/>`;
  });
  svg += `<path d="${strong}" stroke="${PALETTE.ink}" stroke-width="2" fill="none" data-selected="1"/>`;
  // white on the two dark fills of the palette, black on the light ones
  const dark = new Set(["#0072B2", "#D55E00"]);
  const label = (cx, cy, t, fill) =>
    box >= 18 ? `<text x="${cx + box / 2}" y="${cy + box / 2 + 4}" font-size="12" text-anchor="middle" fill="${dark.has(fill) ? "#fff" : "#000"}" font-weight="bold">${t}</text>` : "";
  for (let c = 0; c < cIn; c++) {
    const fill = colour(c, perIn);
    svg += rect(x(c, cIn), y1, box, box, `fill="${fill}" stroke="${read.has(c) ? PALETTE.ink : "none"}" stroke-width="2"`) + label(x(c, cIn), y1, c, fill);
  }
  for (let o = 0; o < cOut; o++) {
    const fill = colour(o, perOut);
    svg += rect(x(o, cOut), y2, box, box, `fill="${fill}" stroke="${o === info.out_channel ? PALETTE.ink : "none"}" stroke-width="2.5"`) + label(x(o, cOut), y2, o, fill);
  }
  svg += text(4, 14, `${cIn} input channel${cIn > 1 ? "s" : ""}${box < 18 ? ` (0..${cIn - 1})` : ""}`);
  svg += text(4, y2 + box + 18, `${cOut} output channel${cOut > 1 ? "s" : ""}${box < 18 ? ` (0..${cOut - 1})` : ""}; output ${info.out_channel} reads input ${info.channels.length > 1 ? `channels ${info.channels[0]}..${info.channels.at(-1)}` : `channel ${info.channels[0]}`}`);
  const h = y2 + box + 28;
  const desc = `${cIn} input channels connected to ${cOut} output channels in ${g} group${g > 1 ? "s" : ""}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="convnb-channels" width="${Math.floor(width)}" height="${h}" role="img" aria-label="${esc(desc)}">${svg}</svg>`;
}

function kind(st) {
  const { in_channels: cIn, out_channels: cOut, groups: g, kernel_size: k } = st;
  if (k === 1 && g === 1) return "pointwise: a 1×1 kernel mixes all input channels at each pixel";
  if (g === cIn && g > 1)
    return `depthwise: one ${k}×${k} kernel per input channel, multiplier ${cOut / cIn} (${cOut / cIn} output channel${cOut / cIn > 1 ? "s" : ""} per input channel)`;
  if (g > 1) return `grouped: ${g} groups of ${cIn / g} input → ${cOut / g} output channels`;
  return "dense: every output channel reads every input channel";
}

export function readoutHTML(st, info) {
  const { in_size: i, kernel_size: k, stride: s, dilation: d, groups: g } = st;
  const { in_channels: cIn, out_channels: cOut } = st;
  const o = info.output_size;
  const formula = st.transposed
    ? `o = (i − 1)·s − 2p + d·(k − 1) + output_padding + 1 = (${i} − 1)·${s} − 2·${st.padding} + ${d}·(${k} − 1) + ${st.output_padding} + 1 = <b>${o}</b>`
    : `o = ⌊(i + p<sub>before</sub> + p<sub>after</sub> − d·(k − 1) − 1) / s⌋ + 1 = ⌊(${i} + ${info.before} + ${info.after} − ${d}·(${k} − 1) − 1) / ${s}⌋ + 1 = <b>${o}</b>`;
  const macsFormula = st.transposed
    ? `${i}·${i} inputs · ${cIn}·(${cOut}/${g})·${k}·${k}`
    : `${o}·${o} outputs · ${cOut}·(${cIn}/${g})·${k}·${k}`;
  const rows = [
    ["output size", `${o}×${o}: ${formula}`],
    ["channels", `${cIn} → ${cOut}, ${kind(st)}`],
    ["parameters", `${info.parameters.toLocaleString("en-US")} = ${cOut}·(${cIn}/${g})·${k}·${k} (no bias)`],
    ["multiply-accumulates", `${info.macs.toLocaleString("en-US")} = ${macsFormula} per image`],
    ["receptive field", `${info.receptive_field}×${info.receptive_field} input samples = d·(k − 1) + 1 = ${d}·(${k} − 1) + 1`],
  ];
  const lines = rows.map(([a, b]) => `<div><b>${a}:</b> ${b}</div>`).join("");
  return (
    `<div class="convnb-readout">${lines}</div>` +
    `<pre class="convnb-code"># PyTorch\n${esc(pytorchCode(st))}\n\n# TensorFlow / Keras (channels last)\n${esc(kerasCode(st))}</pre>`
  );
}

// ---- the interface ----------------------------------------------------------------------

const CSS = `
.convnb-explorer{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:14px;color:#222;max-width:100%;box-sizing:border-box;overflow:hidden}
.convnb-explorer *{box-sizing:border-box}
.convnb-controls{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:4px 14px;margin:0 0 8px}
.convnb-controls label{display:flex;flex-direction:column;font-size:13px;min-width:0}
.convnb-controls .convnb-row{display:flex;align-items:center;gap:6px}
.convnb-controls input[type=range]{flex:1;min-width:0;width:100%}
.convnb-controls output{min-width:2.2em;text-align:right;font-variant-numeric:tabular-nums}
.convnb-controls label.convnb-check{flex-direction:row;align-items:center;gap:6px}
.convnb-controls [hidden]{display:none!important}
.convnb-figure svg{display:block;max-width:100%;height:auto;margin:4px 0}
.convnb-error{color:#b00020;font-family:ui-monospace,monospace;font-size:14px;overflow-wrap:anywhere;white-space:normal;margin:6px 0}
.convnb-readout{margin:6px 0;overflow-wrap:anywhere}
.convnb-readout div{margin:0 0 4px}
.convnb-code{white-space:pre-wrap;overflow-wrap:anywhere;font-size:13px;background:#f6f6f6;padding:6px;margin:6px 0}
`;

function injectStyle(doc) {
  if (doc.getElementById("convnb-explorer-style")) return;
  const style = doc.createElement("style");
  style.id = "convnb-explorer-style";
  style.textContent = CSS;
  doc.head.appendChild(style);
}

const CONTROLS = [
  ["in_size", "input size", 1, 12],
  ["kernel_size", "kernel size", 1, 7],
  ["stride", "stride", 1, 4],
  ["padding", "padding", null, null],
  ["dilation", "dilation", 1, 4],
  ["in_channels", "in channels", 1, 16],
  ["out_channels", "out channels", 1, 32],
  ["groups", "groups", 1, 16],
  ["transposed", "transposed", null, null],
  ["output_padding", "output padding", 0, 3],
  ["row", "row", 0, 0],
  ["col", "column", 0, 0],
  ["out_channel", "output channel", 0, 0],
];

function normalise(params) {
  const st = { ...params };
  if (typeof st.padding === "string" && /^\d+$/.test(st.padding)) st.padding = Number(st.padding);
  st.transposed = Boolean(st.transposed);
  st.position = Array.isArray(st.position) ? st.position.map(Number) : [0, 0];
  return st;
}

// render({model, el}): anywidget's entry point. `model` needs get, set, save_changes, on, off.
function render({ model, el }) {
  injectStyle(el.ownerDocument);
  let state = normalise(Object.fromEntries(KEYS.map((key) => [key, model.get(key)])));
  let info = analyse(state);
  const root = el.ownerDocument.createElement("div");
  root.className = "convnb-explorer";
  root.setAttribute("data-convnb-explorer", "");
  const controls = el.ownerDocument.createElement("div");
  controls.className = "convnb-controls";
  const inputs = {};
  for (const [key, label, lo, hi] of CONTROLS) {
    const wrap = el.ownerDocument.createElement("label");
    if (key === "padding") {
      wrap.innerHTML = `${label}<select data-key="padding"><option value="0">0 (valid)</option><option value="1">1</option><option value="2">2</option><option value="3">3</option><option value="same">same</option></select>`;
    } else if (key === "transposed") {
      wrap.className = "convnb-check";
      wrap.innerHTML = `<input type="checkbox" data-key="transposed"> transposed`;
    } else {
      wrap.innerHTML = `<span>${label}</span><span class="convnb-row"><input type="range" data-key="${key}" min="${lo}" max="${hi}" step="1"><output></output></span>`;
    }
    inputs[key] = { wrap, input: wrap.querySelector("[data-key]"), out: wrap.querySelector("output") };
    controls.appendChild(wrap);
  }
  const figure = el.ownerDocument.createElement("div");
  figure.className = "convnb-figure";
  const error = el.ownerDocument.createElement("p");
  error.className = "convnb-error";
  error.setAttribute("role", "alert");
  const readout = el.ownerDocument.createElement("div");
  root.append(controls, error, figure, readout);
  el.appendChild(root);

  function syncControls() {
    const t = state.transposed;
    const posMax = info.error ? null : info.grid - 1;
    const values = {
      ...state,
      row: state.position[0],
      col: state.position[1],
    };
    for (const [key] of CONTROLS) {
      const { input, out, wrap } = inputs[key];
      if (key === "transposed") input.checked = t;
      else if (key === "padding") input.value = String(state.padding === "valid" ? 0 : state.padding);
      else {
        if (key === "row" || key === "col") {
          if (posMax !== null) input.max = posMax;
          wrap.firstChild.textContent = `${t ? "input" : "output"} ${key === "row" ? "row" : "column"}`;
        }
        if (key === "out_channel") input.max = state.out_channels - 1;
        input.value = values[key];
        out.textContent = values[key];
      }
      if (key === "output_padding") wrap.hidden = !t;
    }
  }

  function redraw() {
    info = analyse(state);
    if (!info.error) state.position = info.position;
    if (!info.error) state.out_channel = info.out_channel;
    const width = Math.max(280, Math.min(root.clientWidth || el.clientWidth || 700, 1100));
    syncControls();
    if (info.error) {
      error.textContent = info.error;
      error.hidden = false;
      figure.innerHTML = "";
      readout.innerHTML = "";
      return;
    }
    error.textContent = "";
    error.hidden = true;
    figure.innerHTML = drawSpatial(state, info, width) + drawChannels(state, info, width);
    readout.innerHTML = readoutHTML(state, info);
  }

  let applying = false; // our own model.set calls echo back as change events: ignore them
  function apply(params, fromModel = false) {
    if (fromModel && applying) return;
    state = normalise({ ...state, ...params });
    redraw();
    if (!fromModel) {
      applying = true;
      try {
        for (const key of KEYS) model.set(key, state[key]);
        model.save_changes();
      } finally {
        applying = false;
      }
    }
  }

  controls.addEventListener("input", (event) => {
    const key = event.target.dataset.key;
    if (!key) return;
    let value;
    if (key === "transposed") value = event.target.checked;
    else if (key === "padding") value = event.target.value === "same" ? "same" : Number(event.target.value);
    else value = Number(event.target.value);
    if (key === "row") apply({ position: [value, state.position[1]] });
    else if (key === "col") apply({ position: [state.position[0], value] });
    else apply({ [key]: value });
  });
  const listeners = KEYS.map((key) => {
    const cb = () => apply({ [key]: model.get(key) }, true);
    model.on(`change:${key}`, cb);
    return [key, cb];
  });

  const handle = {
    element: root,
    set(params) {
      const unknown = Object.keys(params).filter((key) => !KEYS.includes(key));
      if (unknown.length) throw new TypeError(`unknown explorer parameters: ${unknown.join(", ")}`);
      apply(params);
      return this.get();
    },
    get() {
      const ok = !info.error;
      return {
        params: { ...state, position: [...state.position] },
        output_size: ok ? info.output_size : null,
        footprint: ok ? info.footprint : [],
        channels: ok ? info.channels : [],
        error: info.error,
        parameters: ok ? info.parameters : null,
        macs: ok ? info.macs : null,
        receptive_field: ok ? info.receptive_field : null,
        code: ok ? { pytorch: pytorchCode(state), keras: kerasCode(state) } : null,
      };
    },
  };
  const win = el.ownerDocument.defaultView;
  win.convnb = win.convnb || {};
  win.convnb.explorers = win.convnb.explorers || [];
  win.convnb.explorers.push(handle);
  // one entry per explorer, in page order, whatever order they rendered in
  win.convnb.explorers.sort((a, b) =>
    a.element.compareDocumentPosition(b.element) & 4 /* b follows a */ ? -1 : 1,
  );
  let lastWidth = 0;
  const resize =
    win.ResizeObserver &&
    new win.ResizeObserver(() => {
      const w = root.clientWidth;
      if (Math.abs(w - lastWidth) > 8) {
        lastWidth = w;
        redraw();
      }
    });
  if (resize) resize.observe(root);
  redraw();
  return () => {
    if (resize) resize.disconnect();
    for (const [key, cb] of listeners) model.off(`change:${key}`, cb);
    const list = win.convnb.explorers;
    if (list.includes(handle)) list.splice(list.indexOf(handle), 1);
  };
}

export default { render };
