// The collector's page: a scanner types the barcode and presses Enter — move to the ID number instead of
// submitting; Enter in the ID number submits. After a save, focus the field that is empty.
(function () {
  "use strict";
  var barcode = document.getElementById("id_barcode");
  var idNumber = document.getElementById("id_id_number");
  if (!barcode || !idNumber) { return; }
  barcode.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); idNumber.focus(); }
  });
  // The search box: Enter searches instead of adding to the tube.
  var q = document.getElementById("id_q");
  var find = document.getElementById("fk-find");
  if (q && find) {
    q.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); find.click(); }
    });
  }
  if (document.querySelector("[data-testid=found-people]")) {
    document.querySelector("[data-testid=found-people] button").focus();
    return;
  }
  (barcode.value ? idNumber : barcode).focus();
})();
