// @ts-check
// The web client's legacy loader, a classic `defer` script placed right after the ES2022 module
// script in index.html (scripts/build-legacy.js puts it there with the legacy file names filled in).
// Module and defer scripts run in document order, so when this runs the module has run, or failed
// (an engine without modules skips it; one with modules but older syntax — a 2018-2022 WebKit, as
// in a 1C form's HTML field — fails to parse it). The module renders the app into #app
// synchronously when it runs (renderer/main.tsx: render() before the first await), so an empty
// #app means it did not: only then are the legacy stylesheet and ES2015 script added. A modern
// browser downloads this small file and nothing more. ES5 on purpose: it must run everywhere.
(function () {
  var app = document.getElementById('app');
  if (!app || app.firstChild) return;
  var css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '__LEGACY_CSS__';
  document.head.appendChild(css);
  var js = document.createElement('script');
  js.src = '__LEGACY_JS__';
  document.head.appendChild(js);
})();
