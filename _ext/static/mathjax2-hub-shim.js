// The Jupyter widget manager (html-manager 1.0) typesets widget labels with MathJax 2's
// MathJax.Hub.Queue; the book loads MathJax 3, which has no Hub, so every page with a widget
// logged "Cannot read properties of undefined (reading 'Queue')". This keeps a Hub on
// whatever object window.MathJax is (the configuration first, MathJax itself once loaded)
// and forwards the request to MathJax 3's typesetPromise.
(function () {
  function withHub(mathjax) {
    if (mathjax && typeof mathjax === "object" && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (request) {
          var element = request && request[2];
          if (element && window.MathJax && window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise([element]).catch(function () {});
          }
        },
      };
    }
    return mathjax;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();
