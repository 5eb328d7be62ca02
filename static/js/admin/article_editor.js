// The article editor's safety net (ArticleAdmin's Media), on the add and change pages:
//
// - leaving the page with changes the server has not got asks first (beforeunload);
// - while the text changes, a copy of it (title, summary, body and the other text
//   fields) is kept in this browser's localStorage, one per admin page;
// - when the page is opened again and that copy differs from what the server sent,
//   a notice at the top of the form offers to restore it or discard it.
//
// Submitting the form deletes the copy. If the server sends the form back with errors,
// what it sends is the submitted text, not yet saved: it is kept again at once.
//
// django-ckeditor-5 creates the body's editor after DOMContentLoaded and keeps it in
// window.editors under its textarea's id, so everything starts once it is there.
(function () {
  "use strict";

  var BODY_ID = "id_body";
  var SAVE_EVERY_MS = 3000;
  var EDITOR_WAIT_MS = 15000;
  var KEY = "wisegeek.article-editor:" + window.location.pathname;
  var TEXT_INPUT_TYPES = ["text", "url", "email", "tel", "number"];

  function each(list, callback) {
    Array.prototype.forEach.call(list, callback);
  }

  function readCopy() {
    try {
      var copy = JSON.parse(window.localStorage.getItem(KEY));
      return copy && copy.fields && copy.savedAt ? copy : null;
    } catch (error) {
      return null;  // storage refused (private mode, quota) or not ours: nothing to offer
    }
  }

  function writeCopy(fields, version) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ savedAt: new Date().toISOString(), fields: fields, version: version }));
    } catch (error) {
      // Full or refused: the warning before leaving still protects the text.
    }
  }

  function deleteCopy() {
    try {
      window.localStorage.removeItem(KEY);
    } catch (error) {
      // Nothing stored, then.
    }
  }

  // The state of the fields that are not text (choices, ticks, files), to tell whether
  // any changed since the page was opened.
  function choices(form) {
    var state = [];
    each(form.elements, function (field) {
      if (!field.name || field.disabled) return;
      if (field.tagName === "SELECT") {
        state.push(field.name + "=" + Array.prototype.map.call(field.selectedOptions, function (option) {
          return option.value;
        }).join(","));
      } else if (field.type === "checkbox" || field.type === "radio") {
        state.push(field.name + "=" + field.value + ":" + field.checked);
      } else if (field.type === "file") {
        state.push(field.name + "=" + field.value);
      }
    });
    return state.join("&");
  }

  // The editor gives every list item a new random data-list-item-id each time it loads
  // a text: they are no part of the text, and two loads of one text would differ.
  function withoutListItemIds(html) {
    return html.replace(/ data-list-item-id="[^"]*"/g, "");
  }

  function start(form, body, editor, choicesAsOpened) {
    var submitting = false;
    // A form the server sent back with errors holds submitted text it has not saved.
    var sentBack = form.querySelector(".errornote") !== null;
    // The version of the article this text was written against: a copy restored later
    // carries it back, so a save over someone else's newer one is refused as stale.
    var version = form.elements.loaded_version ? form.elements.loaded_version.defaultValue : null;

    function textFields() {
      return Array.prototype.filter.call(form.elements, function (field) {
        if (!field.name || field.disabled || field === body) return false;
        return field.tagName === "TEXTAREA" ||
          (field.tagName === "INPUT" && TEXT_INPUT_TYPES.indexOf(field.type) !== -1);
      });
    }

    function bodyText() {
      return editor ? withoutListItemIds(editor.getData()) : body.value;
    }

    // What the server sent, as the editor writes it: it rewrites the markup it loads
    // (and an empty body as an empty paragraph), so an untouched body compares equal.
    var sentBody = editor ? bodyText() : body.defaultValue;

    function texts(sent) {
      var values = {};
      textFields().forEach(function (field) {
        values[field.name] = sent ? field.defaultValue : field.value;
      });
      values[body.name] = sent ? sentBody : bodyText();
      return values;
    }

    function differ(copy, other) {
      return Object.keys(copy).some(function (name) {
        return Object.prototype.hasOwnProperty.call(other, name) && copy[name] !== other[name];
      });
    }

    function unsaved() {
      return sentBack || differ(texts(false), texts(true)) || choices(form) !== choicesAsOpened;
    }

    // While the notice is up, the copy it offers stays as it is (leaving still asks).
    var notice = null;
    var pending = true;  // the text may have changed since it was last kept

    function keep() {
      if (!pending || submitting || notice) return;
      pending = false;
      var current = texts(false);
      if (sentBack || differ(current, texts(true))) writeCopy(current, version);
      else deleteCopy();  // changed back to what the server has
    }

    function restore(fields, copiedVersion) {
      if (copiedVersion && form.elements.loaded_version) form.elements.loaded_version.value = copiedVersion;
      textFields().forEach(function (field) {
        if (Object.prototype.hasOwnProperty.call(fields, field.name)) field.value = fields[field.name];
      });
      if (Object.prototype.hasOwnProperty.call(fields, body.name)) {
        if (editor) editor.setData(fields[body.name]);
        else body.value = fields[body.name];
      }
    }

    function offer(copy) {
      var savedAt = new Date(copy.savedAt);
      var time = document.createElement("time");
      time.dateTime = savedAt.toISOString();
      time.textContent = savedAt.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });

      function action(label, onClick) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "autosave-notice__action";
        button.textContent = label;
        button.addEventListener("click", function () {
          onClick();
          notice.remove();
          notice = null;
          pending = true;
          keep();
        });
        return button;
      }

      notice = document.createElement("ul");
      notice.className = "messagelist autosave-notice";
      var item = document.createElement("li");
      item.className = "warning";
      item.setAttribute("role", "status");
      item.append(
        "Unsaved text from ", time, " was found. ",
        action("Restore it", function () { restore(copy.fields, copy.version); }),
        " · ",
        action("Discard", deleteCopy)
      );
      notice.appendChild(item);
      form.prepend(notice);
    }

    var copy = readCopy();
    if (copy && differ(copy.fields, texts(true))) offer(copy);
    else if (copy) deleteCopy();  // the server has this text already
    keep();

    function changed() {
      pending = true;
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    if (editor) editor.model.document.on("change:data", changed);
    window.setInterval(keep, SAVE_EVERY_MS);
    // Switching away (on phones, often the last thing a page hears) may come before the next tick.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") keep();
    });

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      submitting = true;
      deleteCopy();
    });
    // Back to this page from the browser's cache after submitting: it is editable again.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        submitting = false;
        pending = true;
      }
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitting || !unsaved()) return;
      keep();
      event.preventDefault();
      event.returnValue = "";  // Chrome before 119 asks only when this is set
    });

    form.setAttribute("data-autosave", "on");  // what the browser tests wait for
  }

  function setUp() {
    var body = document.getElementById(BODY_ID);
    if (!body || !body.form) return;
    var choicesAsOpened = choices(body.form);
    var waited = 0;
    var timer = window.setInterval(function () {
      var editor = window.editors && window.editors[BODY_ID];
      waited += 50;
      if (editor || waited >= EDITOR_WAIT_MS) {
        window.clearInterval(timer);
        start(body.form, body, editor || null, choicesAsOpened);
      }
    }, 50);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
