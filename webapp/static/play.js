// quizgen play page: keys 1-4 answer, a countdown for timed questions. The page works without it.
(function () {
  "use strict";
  var form = document.querySelector("form.question");
  if (form) {
    var buttons = form.querySelectorAll("button.option");
    var sent = false;
    form.addEventListener("submit", function () { sent = true; });
    document.addEventListener("keydown", function (event) {
      if (sent || event.altKey || event.ctrlKey || event.metaKey) return;
      var n = parseInt(event.key, 10);
      if (n >= 1 && n <= buttons.length) {
        event.preventDefault();
        buttons[n - 1].click();
      }
    });
    var countdown = form.querySelector(".countdown");
    if (countdown) {
      var deadline = Date.now() + parseInt(countdown.getAttribute("data-remaining-ms"), 10);
      var timeout = form.querySelector("[data-timeout]");
      var tick = function () {
        var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
        countdown.textContent = left + " s left";
        countdown.classList.toggle("is-low", left <= 5);
        if (left > 0) {
          window.setTimeout(tick, 250);
        } else if (!sent && timeout) {
          countdown.textContent = "Time's up";
          timeout.click();
        }
      };
      tick();
    }
  }
})();
