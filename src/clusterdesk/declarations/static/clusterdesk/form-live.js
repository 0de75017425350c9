/*
 * Live checks while a box is typed in, before any save: the character count, the hint under a
 * number, whether the evidence upload shows. The rules are the form core's (clusterdesk.form.live):
 * each box carries what applies to it (data-max-chars with data-count, data-decimals,
 * data-evidence-when) and the page the hint texts; this file applies what those name and
 * knows no limit, count of decimals or word of its own. The server's findings after each save
 * replace the preview; linkMessages ties a box to the messages about it for screen readers. Unit tests: tests/js/form-live.test.js, which also runs it on the values
 * the Python rules are run on.
 */
window.ClusterdeskLive = (function () {
  "use strict";

  var COUNTERS = {
    // rules.char_count: white space is not a 字; one per code point (an emoji is one, not two).
    "non-space": function (text) { return Array.from(text.replace(/\s/g, "")).length; },
  };

  var NUMBER = /^-?\d+(\.\d+)?$/;

  function count(text, method) {
    var counter = COUNTERS[method];
    return counter ? counter(text == null ? "" : String(text)) : 0;
  }

  // A number as the server reads what was typed (form.numbers.read_number): full-width forms
  // made plain (NFKC), thousands separators and spaces dropped, and with the page's words
  // (texts.none, texts.units: form.live.NUMBER_HINTS) 无 kept and a unit typed after the number
  // dropped. "" when blank, null when no number.
  function number(text, texts) {
    var plain = String(text == null ? "" : text).normalize("NFKC").replace(/[,\s]/g, "");
    if (plain === "") return "";
    if (texts && texts.none && texts.none.split(" ").indexOf(plain) >= 0) return NONE;
    if (NUMBER.test(plain)) return plain;
    var units = (texts && texts.units) || [];
    if (typeof units === "string") units = units.split(" ");
    for (var i = 0; i < units.length; i++) {
      var unit = units[i];
      var head = plain.slice(0, plain.length - unit.length);
      if (unit && plain.slice(-unit.length) === unit && NUMBER.test(head)) return head;
    }
    return null;
  }

  var NONE = {}; // what number() answers for 无: an answer, with no digits to check

  // texts: {number, integer, decimals, none, units} from the page (form.live.NUMBER_HINTS).
  function numberHint(text, decimals, texts) {
    var plain = number(text, texts);
    if (plain === "" || plain === NONE) return "";
    var whole = decimals === 0; // a count: the save refuses anything but an integer
    if (plain === null) return whole ? texts.integer : texts.number;
    var places = (plain.split(".")[1] || "").replace(/0+$/, "").length; // 1.50 is 1.5
    if (places > decimals) return whole ? texts.integer : texts.decimals;
    return "";
  }

  // form.live.EVIDENCE_TRIGGERS: ticked | is:<option> | positive | not:<word>.
  function evidenceShown(trigger, value) {
    var colon = trigger.indexOf(":");
    var test = colon < 0 ? trigger : trigger.slice(0, colon);
    var word = colon < 0 ? "" : trigger.slice(colon + 1);
    if (test === "ticked") return value === true;
    if (test === "is") return value === word;
    if (test === "not") return typeof value !== "string" || value.trim() !== word;
    if (test === "positive") {
      var plain = number(value);
      return plain !== null && plain !== "" && parseFloat(plain) > 0;
    }
    return false;
  }

  // For screen readers, a box names the messages about it: aria-describedby lists the ids of
  // those that show (the findings naming it, the live hint, an unsaved or conflicting value),
  // and aria-invalid says that one of them is an error to fix. messages: [{id, shown, error}].
  function linkMessages(el, messages) {
    var ids = [];
    var invalid = false;
    messages.forEach(function (message) {
      if (!message.shown || !message.id) return;
      if (ids.indexOf(message.id) < 0) ids.push(message.id);
      invalid = invalid || !!message.error;
    });
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
    if (invalid) el.setAttribute("aria-invalid", "true");
    else el.removeAttribute("aria-invalid");
  }

  return {
    count: count,
    number: number,
    numberHint: numberHint,
    evidenceShown: evidenceShown,
    linkMessages: linkMessages,
  };
})();
