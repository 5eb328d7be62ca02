// The Share block's "Copy link" button. Without this file the link field is still
// there to select and copy by hand; with it, one click copies the address.
(function () {
  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    setUp(buttons[i]);
  }

  function setUp(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".share__copy").querySelector(".share__status");
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      copy(field).then(function () {
        status.textContent = "Link copied.";
      }, function () {
        field.focus();
        field.select();
        status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
      });
    });
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain http (a local site): the older way, from a selection.
    return new Promise(function (resolve, reject) {
      field.focus();
      field.select();
      try {
        if (document.execCommand("copy")) { resolve(); } else { reject(); }
      } catch (error) {
        reject(error);
      }
    });
  }
})();
