// The main menu collapses into a button on narrow screens. Without JavaScript the menu simply
// stays open (a <noscript> style in base.html), so no visitor loses the navigation.
(function () {
  function setup() {
    var button = document.querySelector(".menu-toggle");
    var menu = document.getElementById("menu-chinh");
    if (!button || !menu) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
