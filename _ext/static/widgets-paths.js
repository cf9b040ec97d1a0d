// Offline build only: tell require.js where the vendored widget packages live, so the fonts
// and chunks the widget manager loads relative to its module paths (@jupyter-widgets/...)
// come from _static/vendor/npm/ (laid out as on the CDN) instead of the page's folder.
// Loaded after require.js and before embed-amd.js.
(function () {
  var src = document.currentScript.src;
  var base = src.slice(0, src.lastIndexOf("/") + 1);
  window.require.config({
    paths: { "@jupyter-widgets": base + "npm/@jupyter-widgets" },
  });
})();
