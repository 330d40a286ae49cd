// newsindex page script: autocomplete for people and places, sort on change, and range
// selection on the month chart. Pages are rendered by the server and work without it; every
// action here ends in an ordinary navigation, so the URL always holds the whole state.
"use strict";

(function () {
  // Autocomplete: the combobox pattern of WAI-ARIA (input + listbox, aria-activedescendant).
  function autocomplete(form) {
    const input = form.querySelector("input[role=combobox]");
    const list = document.getElementById(input.getAttribute("aria-controls"));
    let options = [];
    let active = -1;
    let timer = null;
    let asked = "";
    let controller = null;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      options.forEach((o, i) => o.el.setAttribute("aria-selected", i === index ? "true" : "false"));
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].el.id);
        options[index].el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(option) {
      // The typed words that found the name are not a query any more.
      const text = input.value.trim(); // option.typed is its end: all of it, or its last word
      const rest = text.endsWith(option.typed) ? text.slice(0, text.length - option.typed.length).trim() : text;
      close();
      const hidden = form.querySelectorAll("input[type=hidden]");
      const url = new URL(form.action, window.location.href);
      hidden.forEach((h) => url.searchParams.append(h.name, h.value));
      if (rest) url.searchParams.set("q", rest);
      url.searchParams.append(option.kind, option.value);
      window.location.assign(url.pathname + url.search);
    }

    async function lookup(typed) {
      const params = new URLSearchParams({ prefix: typed, size: "5" });
      if (controller) controller.abort();
      controller = new AbortController();
      const get = (path) =>
        fetch(path + "?" + params, { signal: controller.signal, headers: { Accept: "application/json" } })
          .then((r) => (r.ok ? r.json() : { results: [] }));
      const [people, places] = await Promise.all([get("/api/v1/people"), get("/api/v1/places")]);
      return [
        ...people.results.map((r) => ({ kind: "person", value: r.value, count: r.count, typed })),
        ...places.results.map((r) => ({ kind: "place", value: r.value, count: r.count, typed })),
      ];
    }

    async function suggest() {
      const text = input.value;
      const whole = text.trim();
      if (whole.length < 2) { close(); return; }
      asked = text;
      let found = [];
      try {
        found = await lookup(whole);
        const words = whole.split(/\s+/);
        if (!found.length && words.length > 1 && words[words.length - 1].length >= 2) {
          found = await lookup(words[words.length - 1]);
        }
      } catch (e) {
        if (e.name === "AbortError") return;
        found = [];
      }
      if (input.value !== asked) return; // typed on meanwhile
      render(found.sort((a, b) => b.count - a.count).slice(0, 8));
    }

    function render(found) {
      list.replaceChildren();
      options = found.map((o, i) => {
        const li = document.createElement("li");
        li.id = "q-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.testid = "autocomplete-option";
        li.dataset.kind = o.kind;
        li.dataset.value = o.value;
        const name = document.createElement("span");
        name.textContent = o.value;
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = o.kind + " \u00b7 " + o.count;
        li.append(name, kind);
        li.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
        li.addEventListener("click", () => choose(o));
        list.append(li);
        return { ...o, el: li };
      });
      if (!options.length) { close(); return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    input.addEventListener("keydown", (e) => {
      const open = !list.hidden && options.length;
      if (e.key === "ArrowDown" && open) {
        e.preventDefault();
        highlight((active + 1) % options.length);
      } else if (e.key === "ArrowUp" && open) {
        e.preventDefault();
        highlight(active <= 0 ? options.length - 1 : active - 1);
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(options[active]);
      } else if (e.key === "Escape" && open) {
        e.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    window.addEventListener("pageshow", close); // Back may restore this page with the list open
    form.addEventListener("submit", () => clearTimeout(timer));
  }

  // Month chart: a click follows the bar's link; shift-click extends the current month filter
  // (or the last bar clicked) to a range; dragging across bars selects the range dragged over.
  function rangeChart(svg) {
    const bars = Array.from(svg.querySelectorAll("a.bar"));
    let dragFrom = null;
    let dragTo = null;
    let dragged = false;

    const barOf = (target) => target && target.closest && target.closest("a.bar");
    function span(a, b) {
      const [i, j] = [bars.indexOf(a), bars.indexOf(b)].sort((x, y) => x - y);
      return { from: bars[i].dataset.from, to: bars[j].dataset.to, i, j };
    }
    function preview(a, b) {
      const { i, j } = span(a, b);
      bars.forEach((bar, k) => bar.classList.toggle("preview", k >= i && k <= j));
    }
    function go(from, to) {
      // Every bar links to its own search; a range is the same search with wider dates.
      const url = new URL(bars[0].getAttribute("href"), window.location.href);
      url.searchParams.delete("cursor");
      url.searchParams.set("from", from);
      url.searchParams.set("to", to);
      window.location.assign(url.pathname + url.search);
    }

    window.addEventListener("pageshow", () => {
      dragFrom = null;
      dragged = false;
      bars.forEach((bar) => bar.classList.remove("preview"));
    });
    svg.addEventListener("pointerdown", (e) => {
      const bar = barOf(e.target);
      if (!bar || e.button !== 0 || e.shiftKey) return;
      dragFrom = dragTo = bar;
      dragged = false;
    });
    svg.addEventListener("pointermove", (e) => {
      if (!dragFrom) return;
      const bar = barOf(document.elementFromPoint(e.clientX, e.clientY));
      if (bar && bar !== dragTo) {
        dragTo = bar;
        dragged = dragTo !== dragFrom;
        preview(dragFrom, dragTo);
      }
    });
    document.addEventListener("pointerup", () => {
      if (dragFrom && dragged) {
        const { from, to } = span(dragFrom, dragTo);
        dragFrom = null;
        go(from, to);
        return;
      }
      dragFrom = null;
    });
    svg.addEventListener("click", (e) => {
      const bar = barOf(e.target);
      if (!bar) return;
      if (dragged) { e.preventDefault(); return; }
      if (e.shiftKey) {
        e.preventDefault();
        const params = new URLSearchParams(window.location.search);
        const anchorFrom = params.get("from") || sessionStorage.getItem("newsindex-anchor-from");
        const anchorTo = params.get("to") || sessionStorage.getItem("newsindex-anchor-to");
        if (!anchorFrom || !anchorTo) { window.location.assign(bar.getAttribute("href")); return; }
        const from = anchorFrom < bar.dataset.from ? anchorFrom : bar.dataset.from;
        const to = anchorTo > bar.dataset.to ? anchorTo : bar.dataset.to;
        go(from, to);
        return;
      }
      sessionStorage.setItem("newsindex-anchor-from", bar.dataset.from);
      sessionStorage.setItem("newsindex-anchor-to", bar.dataset.to);
    });
  }

  function start() {
    document.querySelectorAll("form[data-autocomplete]").forEach(autocomplete);
    document.querySelectorAll("select[data-autosubmit]").forEach((select) =>
      select.addEventListener("change", () => select.form.submit()));
    document.querySelectorAll("svg[data-chart]").forEach(rangeChart);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
