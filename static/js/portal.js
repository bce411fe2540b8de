// The portal's small behaviours, attached by data attributes instead of inline handlers (the
// Content-Security-Policy allows scripts from our own static files only):
//   data-print            a click prints the page
//   data-back             a click goes back one page (a link without history follows its href)
//   data-autosubmit       a change submits the element's form
//   data-confirm="…"      a click asks first; "cancel" stops the click (and the form it would submit)
//   data-park-field="…"   on a select whose options carry data-park: only the options of the park chosen
//                         in the named field are shown (a choice of another park is cleared)
//   data-import-progress="URL"  a large import's page asks URL (JSON) every 2 s how far the worker got,
//                         shows it, and reloads itself once the job has moved on (checked, saved, failed)
(function () {
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-print], [data-back], [data-confirm]");
    if (!target) return;
    if (target.hasAttribute("data-confirm") && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
    } else if (target.hasAttribute("data-back") && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  function limitToPark(select) {
    var park = select.form && select.form.elements[select.getAttribute("data-park-field")];
    if (!park) return;
    Array.prototype.forEach.call(select.options, function (option) {
      var other = option.hasAttribute("data-park") && park.value && option.getAttribute("data-park") !== park.value;
      option.hidden = other;
      option.disabled = other;
      if (other && option.selected) select.value = "";
    });
  }
  document.querySelectorAll("select[data-park-field]").forEach(limitToPark);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) target.form.submit();
    if (target.form && target.name) {
      target.form.querySelectorAll('select[data-park-field="' + target.name + '"]').forEach(limitToPark);
    }
  });
  var progress = document.querySelector("[data-import-progress]");
  function show(selector, text) {
    var element = progress.querySelector(selector);
    if (element) element.textContent = text;
  }
  function poll() {
    fetch(progress.getAttribute("data-import-progress"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (job) {
        if (!job.running) {
          window.location.reload();
          return;
        }
        show("[data-import-state]", job.status_label);
        show("[data-import-checked]", job.rows_checked);
        show("[data-import-total]", job.rows_total);
        var bar = progress.querySelector("[data-import-bar]");
        if (bar) {
          bar.max = Math.max(job.rows_total, 1);
          bar.value = job.rows_checked;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  if (progress) window.setTimeout(poll, 1000);
})();
