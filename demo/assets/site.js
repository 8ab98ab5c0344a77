// Digitales Rathaus – Demo-Websites
// Der Button "Digitales Rathaus öffnen" öffnet das eingebettete Widget über
// dessen öffentliche API (window.DigitalesRathaus), sofern es geladen ist.
// Keine Inline-Skripte: diese Datei wird mit <script src="/assets/site.js" defer> geladen.
(function () {
  'use strict';

  var button = document.getElementById('open-rathaus');
  if (!button) return;
  var status = document.getElementById('open-rathaus-status');

  function say(text) {
    if (status) status.textContent = text;
  }

  function tryOpen() {
    var api = window.DigitalesRathaus;
    if (typeof api?.open === 'function') {
      window.DigitalesRathaus?.open('news');
      say('');
      return true;
    }
    return false;
  }

  button.addEventListener('click', function () {
    if (tryOpen()) return;

    // Das Widget-Skript ist ein Modul und lädt ggf. noch; kurz warten.
    say('Das Digitale Rathaus wird geladen …');
    var done = false;
    var timer = window.setTimeout(function () {
      if (done) return;
      done = true;
      if (!tryOpen()) {
        say('Das Digitale Rathaus ist im Moment nicht erreichbar. Bitte versuchen Sie es später erneut.');
      }
    }, 5000);

    if (window.customElements && typeof window.customElements.whenDefined === 'function') {
      window.customElements.whenDefined('digitales-rathaus').then(function () {
        // API kann direkt nach der Element-Definition gesetzt werden.
        window.setTimeout(function () {
          if (done) return;
          if (tryOpen()) {
            done = true;
            window.clearTimeout(timer);
          }
        }, 0);
      });
    }
  });
})();
