// The book's widget loader for the static page: no kernel, no widget manager, no CDN.
//
// A built page carries the executed notebook's widget state
// (<script type="application/vnd.jupyter.widget-state+json">) and one
// <script type="application/vnd.jupyter.widget-view+json"> per displayed widget. For an
// anywidget (the explorers) this loader imports the widget's own ES module from the saved
// state and calls its render({model, el}) with a small model (get/set/on/off/save_changes):
// every control then works in the browser. Other ipywidgets (sliders that redraw a
// matplotlib figure in Python) cannot move without a kernel: they are shown as their saved
// figure and values, with a note saying where to run them live.
(function () {
  "use strict";
  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';

  function shim(state) {
    const listeners = {};
    return {
      get: (key) => state[key],
      set: (key, value) => {
        state[key] = value;
      },
      save_changes() {},
      send() {},
      on(event, callback) {
        (listeners[event] = listeners[event] || []).push(callback);
      },
      off(event, callback) {
        const list = listeners[event] || [];
        if (list.includes(callback)) list.splice(list.indexOf(callback), 1);
      },
    };
  }

  const modules = new Map();
  function load(esm) {
    if (!modules.has(esm)) {
      const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
      modules.set(esm, import(url));
    }
    return modules.get(esm);
  }

  const ref = (value) => (typeof value === "string" ? value.replace(/^IPY_MODEL_/, "") : value);

  // a frozen ipywidget: boxes, the saved figure of an Output, the controls' values
  function frozen(models, id, host) {
    const model = models[id];
    if (!model) return;
    const s = model.state || {};
    const name = model.model_name;
    if (s.children) {
      const box = document.createElement("div");
      box.className = "convnb-frozen-box";
      box.style.display = "flex";
      box.style.flexWrap = "wrap";
      box.style.flexDirection = name === "HBoxModel" ? "row" : "column";
      box.style.gap = "4px 16px";
      for (const child of s.children) frozen(models, ref(child), box);
      host.appendChild(box);
    } else if (name === "OutputModel") {
      for (const out of s.outputs || []) {
        const data = out.data || {};
        if (data["image/png"]) {
          const img = document.createElement("img");
          img.src = "data:image/png;base64," + data["image/png"];
          img.alt = data["text/plain"] || "the widget's figure in its first state";
          img.style.maxWidth = "100%";
          img.style.height = "auto";
          host.appendChild(img);
        } else if (data["text/plain"] || out.text) {
          const pre = document.createElement("pre");
          pre.textContent = data["text/plain"] || out.text;
          host.appendChild(pre);
        }
      }
    } else if ("value" in s || "index" in s) {
      const span = document.createElement("span");
      span.className = "convnb-frozen-control";
      let value = s.value;
      if (s._options_labels && s.index !== undefined && s.index !== null)
        value = s._options_labels[s.index];
      if (name === "HTMLModel") span.innerHTML = s.value;
      else span.textContent = `${s.description || ""}${s.description ? ": " : ""}${value}`;
      host.appendChild(span);
    }
  }

  async function show(models, id, host) {
    const model = models[id];
    if (!model) throw new Error(`widget ${id} is not in the page's saved state`);
    if (model.model_module === "anywidget" && model.state && model.state._esm) {
      const mod = await load(model.state._esm);
      const render = (mod.default && mod.default.render) || mod.render;
      await render({ model: shim({ ...model.state }), el: host });
      return;
    }
    const note = document.createElement("p");
    note.className = "convnb-frozen-note";
    note.textContent =
      "This widget's controls redraw in Python: here it shows its first state. " +
      "Launch the page on Binder or Colab (the rocket button) to move them.";
    host.appendChild(note);
    frozen(models, id, host);
  }

  async function main() {
    const stateScript = document.querySelector(STATE);
    if (!stateScript) return;
    const models = JSON.parse(stateScript.textContent).state || {};
    const views = Array.from(document.querySelectorAll(VIEW));
    await Promise.all(
      views.map(async (view) => {
        const host = document.createElement("div");
        host.className = "convnb-widget";
        view.parentNode.insertBefore(host, view.nextSibling);
        try {
          await show(models, JSON.parse(view.textContent).model_id, host);
        } catch (err) {
          host.textContent = `This widget could not be shown: ${err}`;
          console.error(err);
        }
      }),
    );
    window.convnb = window.convnb || {};
    window.convnb.widgetsReady = true;
    document.dispatchEvent(new Event("convnb:widgets-ready"));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
