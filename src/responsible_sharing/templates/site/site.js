/* rsf docs: the search page and a key to reach the search field; no network, works from file:// */
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // every word of the query must start a word of the term: 1 when all are in its notation or label, 2 when
  // the definition is needed, 0 when a word is missing
  function rank(entry, query) {
    var name = words(entry.notation + " " + entry.label);
    var all = name.concat(words(entry.definition));
    function starts(pool) {
      return query.every(function (q) { return pool.some(function (w) { return w.indexOf(q) === 0; }); });
    }
    if (starts(name)) { return 1; }
    return starts(all) ? 2 : 0;
  }

  function search(index, text) {
    var query = words(text);
    if (!query.length) { return []; }
    var hits = [];
    index.forEach(function (entry, position) {
      var r = rank(entry, query);
      if (r) { hits.push({ entry: entry, rank: r, position: position }); }
    });
    hits.sort(function (a, b) { return a.rank - b.rank || a.position - b.position; });
    return hits.map(function (hit) { return hit.entry; });
  }

  function show(list, status, text, hits) {
    list.textContent = "";
    hits.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.file;
      link.textContent = entry.notation && entry.notation !== entry.label ? entry.notation + " " + entry.label : entry.label;
      var kind = document.createElement("span");
      kind.className = "kind-of-term";
      kind.textContent = entry.kind;
      var snippet = document.createElement("span");
      snippet.className = "snippet";
      snippet.textContent = entry.definition;
      item.append(link, kind, snippet);
      list.appendChild(item);
    });
    status.textContent = text.trim() ? hits.length + (hits.length === 1 ? " term matches " : " terms match ") + "\u201c" + text.trim() + "\u201d." : status.textContent;
  }

  function startSearchPage(list) {
    var field = document.getElementById("query");
    var status = document.getElementById("status");
    var index = window.RSF_SEARCH_INDEX || [];
    var text = new URLSearchParams(window.location.search).get("q") || "";
    field.value = text;
    show(list, status, text, search(index, text));
    field.addEventListener("input", function () { show(list, status, field.value, search(index, field.value)); });
  }

  document.addEventListener("keydown", function (event) {
    var field = document.getElementById("query") || document.querySelector("input[type=search]");
    if (event.key === "/" && field && document.activeElement !== field) {
      event.preventDefault();
      field.focus();
    }
  });
  var results = document.getElementById("results");
  if (results) { startSearchPage(results); }
  document.documentElement.setAttribute("data-script", "ran");
}());
