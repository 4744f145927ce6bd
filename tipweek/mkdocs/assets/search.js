/* tipweek: the archive's search, through Pagefind's own JS API (pagefind.js), drawn in
   Material's search classes. Nothing is fetched until the reader opens the search; then
   Pagefind loads only the index chunks and result fragments a query needs. */
(function () {
  "use strict";
  var box = document.querySelector("[data-tw-search]");
  if (!box) return;
  var PAGE_SIZE = 10;
  // The site's root, from the page's own base, so a site under a sub-path
  // (https://example.org/tips/) finds its index and links its results right.
  var root = new URL(box.getAttribute("data-tw-root") || "./", document.baseURI);
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var more = box.querySelector(".tw-search__more");
  var filterSelects = box.querySelectorAll("[data-tw-filter]");
  var sortSelect = box.querySelector("[data-tw-sort]");
  var pagefind = null;
  var loading = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var timer = 0;

  function load() {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        pagefind = module;
        // Results come as "/2025/07/01/x/"; item() resolves them against `root` itself.
        return pagefind.options({ baseUrl: "/", excerptLength: 24 });
      }).then(function () {
        pagefind.init();
        return pagefind.filters();
      }).then(fillFilters).catch(function (error) {
        meta.textContent = "Search is not available right now.";
        loading = null;
        throw error;
      });
    }
    return loading;
  }

  function fillFilters(filters) {
    filterSelects.forEach(function (select) {
      var values = Object.keys((filters || {})[select.getAttribute("data-tw-filter")] || {});
      var counts = filters[select.getAttribute("data-tw-filter")] || {};
      // Years newest first; tags in alphabetical order, as the tag index lists them.
      values.sort(function (a, b) { return a.localeCompare(b); });
      if (select.getAttribute("data-tw-filter") === "year") values.reverse();
      values.forEach(function (value) {
        var option = document.createElement("option");
        option.value = value;
        option.textContent = value + " (" + counts[value] + ")";
        select.appendChild(option);
      });
    });
  }

  function chosenFilters() {
    var filters = {};
    filterSelects.forEach(function (select) {
      if (select.value) filters[select.getAttribute("data-tw-filter")] = select.value;
    });
    return filters;
  }

  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var filtered = Object.keys(filters).length > 0;
    var mine = ++generation;
    if (!query && !filtered) {
      results = [];
      list.textContent = "";
      more.hidden = true;
      meta.textContent = "Type to start searching";
      box.setAttribute("data-tw-state", "done");
      return;
    }
    var options = { filters: filters };
    // Without words, a filter lists its tips newest first, like the tag archives.
    var order = sortSelect.value || (query ? "" : "desc");
    if (order) options.sort = { date: order };
    load().then(function () {
      return pagefind.search(query || null, options);
    }).then(function (search) {
      if (mine !== generation || !search) return;
      results = search.results;
      list.textContent = "";
      shown = 0;
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        // Announced (role=status) once the results are on screen, not before.
        meta.textContent = results.length === 0 ? "No matching tips" :
          results.length === 1 ? "1 matching tip" : results.length + " matching tips";
        box.setAttribute("data-tw-state", "done");
      });
    });
  }

  function showMore(mine) {
    var slice = results.slice(shown, shown + PAGE_SIZE);
    shown += slice.length;
    more.hidden = shown >= results.length;
    return Promise.all(slice.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== generation) return;
      pages.forEach(function (page) { list.appendChild(item(page)); });
    });
  }

  // A result as Material draws one: the title as the heading, the date, the excerpt.
  // Text goes in as text; only Pagefind's <mark> around the hit becomes markup.
  function item(page) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(page.url.replace(/^\//, ""), root).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var heading = document.createElement("h2");
    heading.textContent = (page.meta && page.meta.title) || page.url;
    article.appendChild(heading);
    var when = page.meta && page.meta.date;
    if (when) {
      var time = document.createElement("time");
      time.className = "tw-search__date";
      time.dateTime = when;
      time.textContent = page.meta.shown || when;
      article.appendChild(time);
    }
    var excerpt = document.createElement("p");
    appendMarked(excerpt, page.excerpt || "");
    article.appendChild(excerpt);
    var tags = (page.filters && page.filters.tag) || [];
    if (tags.length) {
      var tagLine = document.createElement("p");
      tagLine.className = "tw-search__tags";
      tagLine.textContent = "Tags: " + tags.join(", ");
      article.appendChild(tagLine);
    }
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function appendMarked(parent, html) {
    html.split(/(<mark>|<\/mark>)/).reduce(function (inMark, part) {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      if (part) {
        var node = document.createTextNode(decode(part));
        if (inMark) {
          var mark = document.createElement("mark");
          mark.appendChild(node);
          parent.appendChild(mark);
        } else {
          parent.appendChild(node);
        }
      }
      return inMark;
    }, false);
  }

  var decoder = document.createElement("textarea");
  function decode(text) {
    // Pagefind escapes &, < and > in excerpts; the textarea turns entities back into text.
    decoder.innerHTML = text;
    return decoder.value;
  }

  function open() {
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load().catch(function () {});
  }

  function close() {
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", function () {
    box.setAttribute("data-tw-state", "busy");
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click(); else run();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { run(); input.focus(); }, 0);
  });
  function rerun() {
    box.setAttribute("data-tw-state", "busy");
    run();
  }
  filterSelects.forEach(function (select) { select.addEventListener("change", rerun); });
  sortSelect.addEventListener("change", rerun);
  more.addEventListener("click", function () {
    var next = shown;
    showMore(generation).then(function () {
      var link = list.querySelectorAll("a")[next];
      if (link) link.focus();
    });
  });
  if (toggle) {
    // The header's magnifier (phones, tablets) opens the search: put the cursor in it.
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
  }

  // Keyboard: "/" or "s" opens the search, arrows move through the results, Escape closes.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName));
    if (!box.contains(target)) {
      if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey &&
          (event.key === "/" || event.key === "s")) {
        event.preventDefault();
        input.focus();
      }
      return;
    }
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.blur();
    } else if (event.key === "ArrowDown" && (target === input || at >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus(); else links[at - 1].focus();
    }
  });
})();
