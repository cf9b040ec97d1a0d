// Offline build only: tell require.js where the vendored widget manager lives, so the
// fonts and chunks it loads relative to its own module path come from _static/vendor/
// instead of the page's folder. Loaded after require.js and before embed-amd.js.
(function () {
  var src = document.currentScript.src;
  var base = src.slice(0, src.lastIndexOf("/") + 1);
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": base + "html-manager" },
  });
})();
