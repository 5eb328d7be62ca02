// The comment form's token: a cached page carries one that every reader of the page
// shares, and a token sends one comment. When the reader starts writing, ask for a token
// of their own. Without this file the form still works: a spent token brings the form
// back, text kept, with a new one.
(function () {
  var form = document.getElementById("comment-form");
  if (!form || !form.getAttribute("data-token-url")) {
    return;
  }
  var asked = false;
  form.addEventListener("focusin", function () {
    if (asked) {
      return;
    }
    asked = true;
    fetch(form.getAttribute("data-token-url"), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.issued) {
          form.elements.issued.value = data.issued;
        }
      })
      .catch(function () { /* keep the page's token */ });
  });
})();
