/* The week page's calendar: the plan's blocks, the person's commitments and time away; drag a
   block to move it, click one to read why it is there (and delete it). Times are shown as the
   plan's wall-clock time, whatever the browser's zone. */
"use strict";
(function () {
  var mt = window.makertime;
  var root = document.getElementById("calendar");
  if (!root || !window.EventCalendar) { return; }
  var NARROW = 760;
  var COLOURS = {"deep": "#2456a6", "shallow": "#3f8a84", "sync-window": "#a86c14",
                 "rest": "#7a8092", "recovery": "#8a5ea8"};
  var calendar = null;
  var chosen = null;

  function wall(iso) { return iso.slice(0, 19); }   /* floating: the plan's own wall time */

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* The dropped start as wall time (the calendar runs in UTC with floating times). */
  function isoOf(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1) + "-" +
      pad(date.getUTCDate()) + "T" + pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes()) +
      ":00";
  }

  function nextDay(day) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10) + "T00:00:00";
  }

  function events(week) {
    var list = [];
    week.blocks.forEach(function (b) {
      var classes = ["mt-block", "mt-" + b.kind];
      if (b.pinned) { classes.push("mt-pinned"); }
      list.push({id: b.uid, title: b.title, start: wall(b.start), end: wall(b.end),
                 editable: b.editable, startEditable: b.editable, durationEditable: false,
                 backgroundColor: COLOURS[b.kind] || "#5d6778", textColor: "#fff",
                 classNames: classes, extendedProps: {block: b}});
    });
    week.commitments.forEach(function (c, i) {
      list.push({id: "commitment-" + i, title: c.summary, start: wall(c.start), end: wall(c.end),
                 editable: false, startEditable: false, durationEditable: false,
                 classNames: ["mt-commitment"], extendedProps: {commitment: c}});
    });
    week.days.forEach(function (d, i) {
      if (d.day_off) {
        list.push({id: "off-" + i, start: d.date + "T00:00:00", end: nextDay(d.date),
                   display: "background", title: "Day off" + (d.off_reason ? ": " + d.off_reason : ""),
                   classNames: ["mt-away"], extendedProps: {away: true}});
      }
      d.away.forEach(function (a, j) {
        list.push({id: "away-" + i + "-" + j, start: wall(a.start), end: wall(a.end),
                   display: "background", title: "Away", classNames: ["mt-away"],
                   extendedProps: {away: true}});
      });
    });
    return list;
  }

  function hours(week) {
    var first = 9, last = 17;
    var spans = week.blocks.concat(week.commitments);
    week.days.forEach(function (d) { if (d.window) { spans.push(d.window); } });
    spans.forEach(function (s) {
      var a = parseInt(s.start.slice(11, 13), 10), b = parseInt(s.end.slice(11, 13), 10);
      var bm = parseInt(s.end.slice(14, 16), 10);
      if (s.start.slice(0, 10) !== s.end.slice(0, 10)) { b = 24; bm = 0; }
      first = Math.min(first, a);
      last = Math.max(last, bm > 0 ? b + 1 : b);
    });
    return {min: pad(Math.max(0, first - 1)) + ":00", max: pad(Math.min(24, last + 1)) + ":00"};
  }

  function content(info) {
    var props = info.event.extendedProps || {};
    var box = mt.el("div", null, "mt-event");
    if (props.away) {
      box.appendChild(mt.el("div", info.event.title, "mt-title"));
      return {domNodes: [box]};
    }
    box.appendChild(mt.el("div", info.timeText, "mt-time"));
    var title = mt.el("div", info.event.title, "mt-title");
    box.appendChild(title);
    if (props.block) {
      var kind = props.block.kind + (props.block.pinned ? " · pinned" : "");
      box.appendChild(mt.el("div", kind, "mt-kind"));
    }
    return {domNodes: [box]};
  }

  function show(block) {
    chosen = block;
    var panel = document.getElementById("detail");
    document.getElementById("detail-title").textContent = block.title;
    document.getElementById("detail-kind").textContent =
      block.kind + (block.pinned ? " (pinned where you put it)" : "");
    document.getElementById("detail-task").textContent = block.task || "—";
    document.getElementById("detail-time").textContent =
      mt.when(block.start) + "–" + mt.clock(block.end);
    document.getElementById("detail-reason").textContent = block.reason;
    document.getElementById("detail-note").textContent = block.editable ? "" :
      "This block cannot be moved or deleted here (it has begun, or it follows a commitment).";
    document.getElementById("detail-delete").hidden = !block.editable;
    panel.hidden = false;
    panel.scrollIntoView({block: "nearest"});
  }

  function showCommitment(c) {
    chosen = null;
    document.getElementById("detail-title").textContent = c.summary;
    document.getElementById("detail-kind").textContent = "your commitment";
    document.getElementById("detail-task").textContent = "—";
    document.getElementById("detail-time").textContent = mt.when(c.start) + "–" + mt.clock(c.end);
    document.getElementById("detail-reason").textContent =
      "From your calendar: makertime plans around it and never changes it.";
    document.getElementById("detail-note").textContent = "";
    document.getElementById("detail-delete").hidden = true;
    document.getElementById("detail").hidden = false;
  }

  function changed(title, repair) {
    var body = document.getElementById("result-body");
    body.replaceChildren();
    document.getElementById("result-title").textContent = title;
    var list = mt.el("ul", null, "changes");
    (repair.changes || []).forEach(function (c) {
      var item = mt.el("li");
      var block = c.after || c.before || {};
      item.appendChild(mt.el("span", c.kind, "kind kind-" + (block.kind || "deep")));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(mt.el("strong", block.title || c.task || ""));
      var times = (c.before ? " " + mt.when(c.before.start) : "") + (c.before && c.after ? " →" : "") +
        (c.after ? " " + mt.when(c.after.start) : "");
      item.appendChild(mt.el("span", times, "time"));
      item.appendChild(mt.el("span", c.why, "why"));
      list.appendChild(item);
    });
    if (!list.children.length) { body.appendChild(mt.el("p", "Nothing else had to change.")); }
    else { body.appendChild(list); }
    document.getElementById("result").hidden = false;
  }

  function published(report) {
    var body = document.getElementById("result-body");
    body.replaceChildren();
    document.getElementById("result-title").textContent = "Published";
    body.appendChild(mt.el("p", report.summary, "summary-line"));
    [["created", "Created"], ["updated", "Moved"], ["removed", "Removed"],
     ["kept_theirs", "Kept as you left them"], ["declined", "Declined by you"],
     ["failed", "Failed"]].forEach(function (pair) {
      var items = report[pair[0]] || [];
      if (!items.length) { return; }
      body.appendChild(mt.el("h3", pair[1] + " (" + items.length + ")"));
      var list = mt.el("ul");
      items.forEach(function (e) {
        var shown = e.now || e;
        list.appendChild(mt.el("li", (shown.title || shown.kind || "") + " — " +
                               mt.when(shown.start) + "–" + mt.clock(shown.end)));
      });
      body.appendChild(list);
    });
    document.getElementById("result").hidden = false;
  }

  function refresh() {
    return mt.call("GET", root.getAttribute("data-week")).then(function (week) {
      calendar.setOption("events", events(week));
      return mt.page("/week");
    }).then(function (fresh) {
      mt.replace(fresh, ".summary");
      mt.replace(fresh, "#fallback");
      document.body.setAttribute("data-ready", "true");
    }).catch(function (error) { mt.alert(error.message); });
  }

  function act(promise, title, revert) {
    document.body.setAttribute("data-ready", "false");
    mt.alert("");
    return promise.then(function (answer) {
      if (title === "Published") { published(answer); } else { changed(title, answer); }
      document.getElementById("detail").hidden = true;
      return refresh();
    }).catch(function (error) {
      if (revert) { revert(); }
      mt.alert(error.message);
      document.body.setAttribute("data-ready", "true");
    });
  }

  function drop(info) {
    var block = info.event.extendedProps.block;
    var url = "/api/v1/blocks/" + encodeURIComponent(block.uid) + "/move";
    act(mt.call("POST", url, {start: isoOf(info.event.start)}), "What changed after the move",
        info.revert);
  }

  function narrow() { return window.innerWidth < NARROW; }

  mt.call("GET", root.getAttribute("data-week")).then(function (week) {
    var span = hours(week);
    calendar = EventCalendar.create(root, {
      view: narrow() ? "listWeek" : "timeGridWeek",
      date: root.getAttribute("data-from"),
      timeZone: "UTC",
      firstDay: 1,
      allDaySlot: false,
      editable: true,
      eventDurationEditable: false,
      slotMinTime: span.min,
      slotMaxTime: span.max,
      slotDuration: "00:30",
      slotHeight: 34,
      height: "auto",
      headerToolbar: {start: "title", center: "", end: "prev,next"},
      eventTimeFormat: {hour: "2-digit", minute: "2-digit", hour12: false},
      slotLabelFormat: {hour: "2-digit", minute: "2-digit", hour12: false},
      dayHeaderFormat: {weekday: "short", day: "numeric", month: "short"},
      events: events(week),
      eventContent: content,
      eventClick: function (info) {
        var props = info.event.extendedProps || {};
        if (props.block) { show(props.block); } else if (props.commitment) { showCommitment(props.commitment); }
      },
      eventDrop: drop
    });
    document.body.setAttribute("data-ready", "true");
  }).catch(function (error) { mt.alert(error.message); });

  window.addEventListener("resize", function () {
    if (!calendar) { return; }
    var want = narrow() ? "listWeek" : "timeGridWeek";
    if (calendar.getOption("view") !== want) { calendar.setOption("view", want); }
  });

  document.getElementById("detail-delete").addEventListener("click", function () {
    if (!chosen) { return; }
    act(mt.call("DELETE", "/api/v1/blocks/" + encodeURIComponent(chosen.uid)),
        "What changed after the delete");
  });

  document.querySelectorAll("form[data-api]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = form.getAttribute("data-api");
      act(mt.call("POST", url, {}), url.indexOf("publish") >= 0 ? "Published" : "What changed in the replan");
    });
  });
})();
