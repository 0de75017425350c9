/*
 * The score sheet's autosave: a change waits a moment for more typing, then the whole sheet goes
 * as JSON with the version the page holds; the server answers the new version, a conflict (the
 * sheet changed elsewhere: reload) or the problems (shown, the box keeps what was typed).
 * Submitting is a plain form post and works without this script.
 */
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !form.dataset.saveUrl) return;
  var fieldset = form.querySelector("fieldset");
  if (fieldset && fieldset.disabled) return;
  var versionBox = form.querySelector('input[name="version"]');
  var timer = null;
  var busy = false;
  var again = false;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function sheet() {
    var data = { version: parseInt(versionBox.value, 10) || 0, scores: {}, comments: {},
                 opinion: "", opinion_reason: "" };
    Array.prototype.forEach.call(form.elements, function (box) {
      if (!box.name) return;
      if (box.name.indexOf("score-") === 0) data.scores[box.name.slice(6)] = box.value;
      else if (box.name.indexOf("comment-") === 0) data.comments[box.name.slice(8)] = box.value;
      else if (box.name === "opinion" && box.checked) data.opinion = box.value;
      else if (box.name === "opinion_reason") data.opinion_reason = box.value;
    });
    return data;
  }

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("error", !!bad);
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    show("正在保存…");
    fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(sheet()),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          versionBox.value = body.version;
          var at = new Date(body.saved_at || Date.now());
          show("草稿已保存 " + at.toLocaleTimeString("zh-CN", { hour12: false }));
        } else if (response.status === 409) {
          show(body.error || "评分表已在其他窗口修改过，请刷新页面。", true);
        } else {
          show(body.error || "未保存：服务器暂时无法保存，稍后自动重试。", true);
        }
      });
    }).catch(function () {
      show("未保存：网络中断，恢复后请再修改一次以保存。", true);
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  function changed() {
    clearTimeout(timer);
    show("有未保存的修改…");
    timer = setTimeout(save, 800);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () { clearTimeout(timer); });
})();
