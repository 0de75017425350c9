/* 佐证材料 widget: uploads and removals without leaving the page (templates/evidence/widget.html).
   One listener for the whole page, so any number of widgets work and a swapped-in widget needs
   no setup. Files go one per request, so each is reported on its own. Without this script the
   widget's forms post normally and the server redirects back. */
(function () {
  "use strict";
  if (window.clusterdeskEvidence) return; // the widget may be included many times
  window.clusterdeskEvidence = true;

  var HEADER = "X-Evidence-Widget";

  function show(widget, items) {
    var list = widget.querySelector(".evidence-messages");
    list.replaceChildren();
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = item.error ? "message error" : "message";
      li.textContent = item.text;
      list.appendChild(li);
    });
  }

  function messagesOf(widget) {
    return Array.from(widget.querySelectorAll(".evidence-messages li")).map(function (li) {
      return { text: li.textContent, error: li.classList.contains("error") };
    });
  }

  // Resolves to {widget: new element} or {error: text, stop: bool}.
  function send(form, body) {
    var headers = {};
    headers[HEADER] = "1";
    return fetch(form.action, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.headers.get(HEADER) === "1") {
          return response.text().then(function (html) {
            var template = document.createElement("template");
            template.innerHTML = html.trim();
            return { widget: template.content.querySelector(".evidence-widget") };
          });
        }
        if (response.redirected) return { error: "登录已失效，请刷新页面并重新登录后再试。", stop: true };
        return response.json().then(
          function (data) { return { error: data.error, stop: true }; },
          function () { return { error: "服务器暂时无法处理（" + response.status + "），请稍后重试。", stop: true }; }
        );
      }, function () {
        return { error: "网络连接失败，请检查网络后重试。", stop: true };
      });
  }

  function upload(form) {
    var widget = form.closest(".evidence-widget");
    var input = form.querySelector("input[type=file]");
    var files = Array.from(input.files);
    var maxMb = Number(input.dataset.maxMb);
    var notes = [];
    if (widget.classList.contains("busy")) return; // one upload at a time per widget
    if (!files.length) return show(widget, [{ text: "请选择要上传的文件。", error: true }]);
    widget.classList.add("busy");
    var step = Promise.resolve(false);
    files.forEach(function (file, i) {
      step = step.then(function (stopped) {
        if (stopped) return true;
        if (file.size > maxMb * 1024 * 1024) {
          notes.push({ text: "“" + file.name + "”超过了每个文件 " + maxMb + " MB 的上限，未上传。", error: true });
          return false;
        }
        if (file.size === 0) {
          notes.push({ text: "“" + file.name + "”是空文件，未上传。", error: true });
          return false;
        }
        show(widget, notes.concat([{ text: "正在上传第 " + (i + 1) + "/" + files.length + " 个文件：" + file.name + "……" }]));
        var body = new FormData(form);
        body.delete("file");
        body.append("file", file, file.name);
        return send(form, body).then(function (result) {
          if (result.error) {
            notes.push({ text: "“" + file.name + "”未上传：" + result.error, error: true });
            return result.stop;
          }
          widget.replaceWith(result.widget);
          widget = result.widget;
          notes = notes.concat(messagesOf(widget));
          form = widget.querySelector("form.evidence-upload");
          return !form; // no longer editable
        });
      });
    });
    step.then(function () {
      widget.classList.remove("busy");
      show(widget, notes);
      changed();
    });
  }

  function remove(form) {
    var widget = form.closest(".evidence-widget");
    if (widget.classList.contains("busy")) return;
    if (!window.confirm("确定删除“" + form.dataset.name + "”吗？")) return;
    widget.classList.add("busy");
    send(form, new FormData(form)).then(function (result) {
      widget.classList.remove("busy");
      if (result.error) return show(widget, [{ text: result.error, error: true }]);
      widget.replaceWith(result.widget);
      changed();
    });
  }

  // The form page (autosave.js) refreshes its findings: evidence satisfies or reopens a rule.
  function changed() {
    document.dispatchEvent(new CustomEvent("clusterdesk:evidence-changed"));
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest(".evidence-widget")) return;
    if (form.classList.contains("evidence-upload")) {
      event.preventDefault();
      upload(form);
    } else if (form.classList.contains("evidence-remove")) {
      event.preventDefault();
      remove(form);
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches(".evidence-upload input[type=file]") && input.files.length) {
      upload(input.form);
    }
  });
})();
