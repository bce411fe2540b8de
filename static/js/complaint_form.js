// Hide the contact fields while "file anonymously" is ticked: what is hidden is not sent.
(function () {
  var box = document.getElementById("id_is_anonymous");
  if (!box) return;
  var names = ["contact_name", "contact_phone", "enterprise_name"];
  function sync() {
    names.forEach(function (name) {
      var input = document.getElementById("id_" + name);
      if (!input) return;
      var wrapper = input.closest(".mb-3");
      if (wrapper) wrapper.hidden = box.checked;
      input.disabled = box.checked || input.hasAttribute("data-locked");
    });
  }
  names.forEach(function (name) {
    var input = document.getElementById("id_" + name);
    if (input && input.disabled) input.setAttribute("data-locked", "");
  });
  // Screen readers hear what the switch did: the fields after it appear or disappear silently otherwise.
  var status = document.getElementById("anonymous-status");
  box.addEventListener("change", function () {
    sync();
    if (status) status.textContent = box.checked ? status.dataset.hiddenText : status.dataset.shownText;
  });
  sync();
})();
