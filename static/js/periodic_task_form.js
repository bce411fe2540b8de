// Admin, periodic task form: the chosen crontab in words, under its help text (the schedule data comes
// from the json_script element "readable-crontabs").
(function () {
  var data = document.getElementById("readable-crontabs");
  var field = document.getElementById("id_crontab");
  if (!data || !field) return;
  var readable = JSON.parse(data.textContent);
  var help = document.querySelector(".field-crontab .help");
  var original = help ? help.textContent.trim() : "";
  var translation = document.querySelector(".field-crontab_translation");
  if (translation) translation.style.display = "none";
  function explain() {
    if (help) help.textContent = original + (readable[field.value] ? " — " + readable[field.value] : "");
  }
  field.addEventListener("change", explain);
  explain();
})();
