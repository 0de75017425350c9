/*
 * The header's links fold into a 菜单 button on narrow screens (site.css decides when). Without
 * this script the button stays hidden and the links stay in view, so nothing depends on it.
 * The button says whether the menu is open (aria-expanded); Escape closes it and gives the
 * focus back to the button.
 */
(function () {
  "use strict";

  var button = document.querySelector(".masthead .menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  var header = button.closest(".masthead");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }

  header.classList.add("has-menu");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
