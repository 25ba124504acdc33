// The electronic board at the headquarters: show the slogan scheduled for today, cycling through
// them when several apply, and say so plainly when none does. The schedule is embedded in the page
// (script#lich-khau-hieu), so once loaded the board needs no network; the day is re-read on every
// tick, so a board left on overnight moves to the next day's slogan by itself.
(function () {
  "use strict";
  var WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
  var ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

  function vietnamToday(now) {
    // The board is in Bình Thuận: use Vietnam's calendar day whatever zone the device is set to.
    try {
      return new Intl.DateTimeFormat("en-CA", {
        timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit"
      }).format(now);
    } catch (error) {
      var local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
      return local.toISOString().slice(0, 10);
    }
  }

  function chosenDay() {
    // ?date=2023-03-25 previews another day (and lets the tests fix the date).
    var asked = new URLSearchParams(window.location.search).get("date");
    return asked && ISO_DAY.test(asked) ? asked : vietnamToday(new Date());
  }

  function formatDay(iso) {
    var parts = iso.split("-");
    var weekday = new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2])).getUTCDay();
    return WEEKDAYS[weekday] + ", " + parts[2] + "/" + parts[1] + "/" + parts[0];
  }

  function setup() {
    var screen = document.getElementById("bang");
    var slogan = document.getElementById("khau-hieu");
    var shownDay = document.getElementById("ngay-hien-thi");
    var position = document.getElementById("thu-tu");
    var data = document.getElementById("lich-khau-hieu");
    if (!screen || !slogan || !data) return;
    var schedule = JSON.parse(data.textContent);
    var interval = Math.max(3, parseInt(screen.getAttribute("data-interval"), 10) || 12) * 1000;
    var turn = 0;
    document.documentElement.classList.add("board-live");

    function show() {
      var day = chosenDay();
      // ISO dates compare correctly as strings.
      var today = schedule.filter(function (slot) { return slot.start <= day && day <= slot.end; });
      shownDay.textContent = formatDay(day);
      screen.setAttribute("data-date", day);
      if (today.length === 0) {
        screen.classList.add("board-none");
        slogan.textContent = "Hôm nay không có khẩu hiệu theo lịch.";
        position.textContent = "";
        return;
      }
      screen.classList.remove("board-none");
      var slot = today[turn % today.length];
      slogan.textContent = slot.slogan;
      position.textContent = today.length > 1 ? "(" + (turn % today.length + 1) + "/" + today.length + ")" : "";
      turn += 1;
    }

    show();
    window.setInterval(show, interval);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
