// The "Insert affiliate link" control beside the article body's rich-text editor.
//
// It lists the active links of the affiliate registry (partners/editor.py, whose address
// is this script tag's data-links-url) and links the editor's selected text to the chosen
// link's /go/<slug>, or, when nothing is selected, inserts the link's name, linked.
// django-ckeditor-5 keeps each editor in window.editors under its textarea's id.
(function () {
  "use strict";

  var EDITOR_ID = "id_body";
  var script = document.currentScript;
  var linksUrl = script && script.dataset.linksUrl;
  // Under the editor and its word count, in the column the editor takes.
  var place = document.querySelector(".form-row.field-body .ck-editor-container");
  if (!linksUrl || !place) return;

  var links = [];

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  var box = element("div", { "class": "partner-link-picker", role: "group", "aria-labelledby": "partner-link-picker-title" });
  var title = element("h3", { id: "partner-link-picker-title" }, "Insert affiliate link");
  var search = element("input", { type: "search", id: "partner-link-search", autocomplete: "off" });
  var choice = element("select", { id: "partner-link-choice", size: "5" });
  choice.style.height = "auto";  // admin's forms.css gives selects one line's height
  var insert = element("button", { type: "button", "class": "button" }, "Insert affiliate link");
  var status = element("p", { "class": "help", role: "status" });
  box.append(
    title,
    element("label", { "for": "partner-link-search" }, "Search affiliate links"), search,
    element("label", { "for": "partner-link-choice" }, "Affiliate link"), choice,
    insert, status
  );
  place.appendChild(box);

  function say(message) {
    status.textContent = message;
  }

  function show(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    choice.replaceChildren();
    links.forEach(function (link, index) {
      var label = link.partner + ": " + link.name + " (" + link.url + ")";
      var haystack = label.toLowerCase();
      if (words.every(function (word) { return haystack.indexOf(word) !== -1; })) {
        choice.appendChild(new Option(label, String(index)));
      }
    });
    if (choice.options.length) choice.selectedIndex = 0;
    insert.disabled = !choice.options.length;
  }

  function linkInEditor(link) {
    var editor = window.editors && window.editors[EDITOR_ID];
    if (!editor) {
      say("The editor is still loading; try again in a moment.");
      return;
    }
    var selection = editor.model.document.selection;
    if (selection.isCollapsed) {
      editor.model.change(function (writer) {
        var attributes = Object.fromEntries(selection.getAttributes());
        attributes.linkHref = link.url;
        editor.model.insertContent(writer.createText(link.name, attributes));
      });
      say("Inserted “" + link.name + "”, linked to " + link.url + ".");
    } else {
      editor.execute("link", link.url);
      say("Linked the selected text to " + link.url + ".");
    }
    editor.editing.view.focus();
  }

  function insertChosen() {
    var link = links[Number(choice.value)];
    if (link) linkInEditor(link);
  }

  search.addEventListener("input", function () { show(search.value); });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {  // not the admin form's submit
      event.preventDefault();
      insertChosen();
    }
  });
  choice.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      insertChosen();
    }
  });
  choice.addEventListener("dblclick", insertChosen);
  insert.addEventListener("click", insertChosen);

  insert.disabled = true;
  say("Loading the affiliate links…");
  fetch(linksUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (data) {
      links = data.links;
      show(search.value);
      say(links.length ? "" : "The registry has no active affiliate links yet.");
    })
    .catch(function () {
      say("Could not load the affiliate links.");
    });
})();
