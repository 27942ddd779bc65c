/* The team grid: drag one holder's name onto another's on the same date to swap them (pointer
   events, so a finger works too); the grid is then redrawn and what changed listed. */
"use strict";
(function () {
  var mt = window.makertime;
  var dragged = null, ghost = null, over = null;

  function chipAt(x, y) {
    var found = document.elementFromPoint(x, y);
    return found && found.closest ? found.closest(".chip") : null;
  }

  function mark(chip) {
    if (over && over !== chip) { over.classList.remove("target"); }
    over = chip && chip !== dragged && chip.dataset.date === dragged.dataset.date &&
      chip.dataset.member !== dragged.dataset.member ? chip : null;
    if (over) { over.classList.add("target"); }
  }

  function end() {
    if (ghost) { ghost.remove(); }
    if (dragged) { dragged.classList.remove("dragging"); }
    if (over) { over.classList.remove("target"); }
    ghost = null; dragged = null; over = null;
  }

  function listChanges(changes) {
    var list = document.getElementById("swap-changes");
    list.replaceChildren();
    (changes.length ? changes : ["Nothing else had to change."]).forEach(function (line) {
      list.appendChild(mt.el("li", line));
    });
    document.getElementById("swap-result").hidden = false;
  }

  function swap(one, other, date) {
    document.body.setAttribute("data-ready", "false");
    mt.alert("");
    mt.call("POST", "/api/v1/team/swap", {one: one, other: other, date: date})
      .then(function (rotation) {
        listChanges(rotation.changes || []);
        return mt.page("/team").then(function (fresh) { mt.replace(fresh, "#rotation"); });
      })
      .catch(function (error) { mt.alert(error.message); })
      .then(function () { document.body.setAttribute("data-ready", "true"); });
  }

  document.addEventListener("pointerdown", function (event) {
    var chip = event.target.closest ? event.target.closest(".chip") : null;
    if (!chip || event.button !== 0) { return; }
    event.preventDefault();
    dragged = chip;
    chip.classList.add("dragging");
    ghost = chip.cloneNode(true);
    ghost.classList.add("chip-ghost");
    ghost.style.left = event.clientX + 8 + "px";
    ghost.style.top = event.clientY + 8 + "px";
    document.body.appendChild(ghost);
  });

  document.addEventListener("pointermove", function (event) {
    if (!dragged) { return; }
    ghost.style.left = event.clientX + 8 + "px";
    ghost.style.top = event.clientY + 8 + "px";
    mark(chipAt(event.clientX, event.clientY));
  });

  document.addEventListener("pointerup", function (event) {
    if (!dragged) { return; }
    mark(chipAt(event.clientX, event.clientY));
    var one = dragged, other = over;
    end();
    if (other) { swap(one.dataset.member, other.dataset.member, one.dataset.date); }
  });

  document.addEventListener("pointercancel", end);
  document.body.setAttribute("data-ready", "true");
})();
