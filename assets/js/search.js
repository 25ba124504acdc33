// The search page (/tim-kiem/): loads search/index.json (written by generator/search.py) and
// searches it as the reader types. Vietnamese readers often type without marks ("nuoc" must find
// "nước") and in either tone placement ("hoà" = "hòa"), so words are compared folded; a query
// typed with marks still ranks the exact word first ("đường" before "dương"). The folding here
// must agree with generator/text.py's `fold`: tests run the same strings through both.
(function () {
  "use strict";

  // --- Folding: the twin of text.tone_normalise / strip_marks / fold ----------------------------
  var TONES = /[\u0300\u0301\u0303\u0309\u0323]/g; // huyền, sắc, ngã, hỏi, nặng
  var SHIFTING_RHYMES = { oa: 1, oe: 1, uy: 1 };
  var VOWELS = "aăâeêioôơuưy";

  // 'ặ' → ['ă', '\u0323']: the letter without its tone mark, and the mark ('' when none).
  function splitTone(ch) {
    var decomposed = ch.normalize("NFD");
    var tone = (decomposed.match(TONES) || [""])[0];
    return [decomposed.replace(TONES, "").normalize("NFC"), tone];
  }

  // Old placement "hoà, thuỷ, khoẻ" → traditional "hòa, thủy, khỏe" (see text.tone_normalise).
  function traditionalPlacement(word) {
    var chars = Array.from(word);
    var n = chars.length;
    if (n < 2) return word;
    var first = splitTone(chars[n - 2]);
    var second = splitTone(chars[n - 1]);
    if (first[1] || !second[1] || !SHIFTING_RHYMES[(first[0] + second[0]).toLowerCase()]) return word;
    var before = n > 2 ? chars[n - 3].toLowerCase() : "";
    if ((before && VOWELS.indexOf(splitTone(before)[0]) >= 0) || before === "q") return word;
    return chars.slice(0, n - 2).join("") + (first[0] + second[1]).normalize("NFC") + second[0];
  }

  function toneNormalise(text) {
    return text.normalize("NFC").replace(/\p{L}+/gu, traditionalPlacement);
  }

  function stripMarks(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/\p{M}/gu, "");
  }

  // The search form of text: 'Hòa Bình', 'hoà bình' and 'HOA BINH' all give 'hoa binh'.
  function fold(text) {
    return stripMarks(toneNormalise(text).toLowerCase());
  }

  // Words as the index stores them: NFC, traditional tone placement, lowercase, marks kept.
  function terms(text) {
    return toneNormalise(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  // --- The index -------------------------------------------------------------------------------
  var TITLE_WEIGHT = 3;
  var EXACT_MARKS = 10; // above any title/body weight, so exact marks always rank first
  var NUMBER_WEIGHT = 20; // a document's number-symbol ("647/KH-SCT") outranks a mention of it anywhere
  var MAX_SHOWN = 30;
  // The kinds of page (generator/search_entries.py); an article's row names none.
  var KINDS = { "bai-viet": "Bài viết", "van-ban": "Văn bản", "ke-hoach": "Kế hoạch", "trang": "Trang" };

  function Index(data) {
    this.terms = data.terms;
    this.folded = data.terms.map(stripMarks);
    this.byFolded = new Map(); // folded word → ids of the marked words that fold to it
    for (var t = 0; t < this.folded.length; t++) {
      var list = this.byFolded.get(this.folded[t]);
      if (list) list.push(t); else this.byFolded.set(this.folded[t], [t]);
    }
    this.foldedKeys = Array.from(this.byFolded.keys());
    this.docs = data.docs.map(function (row) {
      return { url: row[0], title: row[1], date: row[2], iso: row[3], office: row[4], campaign: row[5], text: row[6],
               kind: row[10] || "bai-viet", lang: row[11] || "vi" };
    });
    this.postings = this.terms.map(function () { return []; }); // term id → [doc, weight, doc, weight, …]
    for (var d = 0; d < data.docs.length; d++) {
      this.addPostings(data.docs[d][7], d, TITLE_WEIGHT);
      this.addPostings(data.docs[d][8], d, 1);
      if (data.docs[d][9]) this.addPostings(data.docs[d][9], d, NUMBER_WEIGHT);
    }
  }

  Index.prototype.addPostings = function (gaps, doc, weight) {
    var id = 0;
    for (var i = 0; i < gaps.length; i++) {
      id += gaps[i];
      this.postings[id].push(doc, weight);
    }
  };

  // Query words with their folded form; the last one is a prefix while the reader is still typing.
  function queryWords(query) {
    var words = terms(query).map(function (marked) {
      return { marked: marked, folded: stripMarks(marked), prefix: false };
    });
    if (words.length && !/\s$/.test(query)) words[words.length - 1].prefix = true;
    return words;
  }

  Index.prototype.termsFor = function (word) {
    if (!word.prefix) return this.byFolded.get(word.folded) || [];
    var ids = [];
    for (var k = 0; k < this.foldedKeys.length; k++) {
      if (this.foldedKeys[k].lastIndexOf(word.folded, 0) === 0) ids.push.apply(ids, this.byFolded.get(this.foldedKeys[k]));
    }
    return ids;
  };

  // Documents holding every query word (folded), best first: number-symbol, exact marks, title, newest.
  // `kind` ("van-ban", …) keeps only pages of that kind; none or "" keeps all.
  Index.prototype.search = function (query, kind) {
    var words = queryWords(query);
    if (!words.length) return [];
    var total = null;
    for (var w = 0; w < words.length; w++) {
      var word = words[w];
      var hasMarks = word.marked !== word.folded;
      var scores = new Map();
      var ids = this.termsFor(word);
      for (var i = 0; i < ids.length; i++) {
        var t = ids[i];
        var factor = hasMarks ? (this.terms[t] === word.marked ? EXACT_MARKS : 1) : (this.folded[t] === word.folded ? 2 : 1);
        var list = this.postings[t];
        for (var p = 0; p < list.length; p += 2) {
          var score = list[p + 1] * factor;
          if (!((scores.get(list[p]) || 0) >= score)) scores.set(list[p], score);
        }
      }
      if (total === null) total = scores;
      else {
        var next = new Map();
        total.forEach(function (sum, doc) { if (scores.has(doc)) next.set(doc, sum + scores.get(doc)); });
        total = next;
      }
      if (!total.size) return [];
    }
    var docs = this.docs;
    return Array.from(total, function (entry) { return { doc: docs[entry[0]], score: entry[1] }; })
      .filter(function (result) { return !kind || result.doc.kind === kind; })
      .sort(function (a, b) { return b.score - a.score || (a.doc.iso < b.doc.iso ? 1 : a.doc.iso > b.doc.iso ? -1 : 0); });
  };

  // --- Snippets and highlighting ---------------------------------------------------------------
  // A word of the text as [marked, folded], remembered: snippets see the same words again and again.
  var seen = new Map();
  function forms(token) {
    var known = seen.get(token);
    if (!known) {
      var marked = terms(token)[0] || "";
      known = [marked, stripMarks(marked)];
      if (seen.size > 50000) seen.clear();
      seen.set(token, known);
    }
    return known;
  }

  // 2 when `token` is a query word with the same marks, 1 when it only folds the same, else 0.
  function matches(token, words) {
    var form = forms(token);
    for (var i = 0; i < words.length; i++) {
      var ok = words[i].prefix ? form[1].lastIndexOf(words[i].folded, 0) === 0 : form[1] === words[i].folded;
      if (ok) return form[0] === words[i].marked ? 2 : 1;
    }
    return 0;
  }

  // Appends `text` to `parent` with every matching word in a <mark>; text nodes only, never HTML.
  function appendHighlighted(parent, text, words) {
    var last = 0;
    text.replace(/[\p{L}\p{N}]+/gu, function (token, offset) {
      if (matches(token, words)) {
        parent.appendChild(document.createTextNode(text.slice(last, offset)));
        var mark = document.createElement("mark");
        mark.textContent = token;
        parent.appendChild(mark);
        last = offset + token.length;
      }
      return token;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // About `width` characters of text around the best match (an exact-mark match if there is one).
  function snippetText(text, words, width) {
    var best = -1, bestKind = 0, re = /[\p{L}\p{N}]+/gu, found;
    // Without marks in the query every match is as good as the first one.
    var wanted = words.some(function (w) { return w.marked !== w.folded; }) ? 2 : 1;
    while ((found = re.exec(text)) && bestKind < wanted) {
      var kind = matches(found[0], words);
      if (kind > bestKind) { best = found.index; bestKind = kind; }
    }
    if (best < 0) best = 0;
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, best - width / 3)) + 1);
    if (start <= width / 3) start = 0;
    var end = Math.min(text.length, start + width);
    var cut = text.indexOf(" ", end);
    end = cut < 0 || cut - end > 20 ? end : cut;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  // --- The page --------------------------------------------------------------------------------
  function setup() {
    var form = document.getElementById("search-form");
    if (!form) return;
    var input = document.getElementById("search-input");
    var kindField = document.getElementById("search-kind");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var base = form.getAttribute("data-base");
    var index = null;
    var timer = null;

    function show(query) {
      list.textContent = "";
      if (!query.trim()) { status.textContent = "Nhập từ cần tìm, có dấu hoặc không dấu."; return; }
      var words = queryWords(query);
      var kind = kindField.value;
      var results = index.search(query, kind);
      var within = kind ? " trong mục " + KINDS[kind] : "";
      status.textContent = results.length
        ? "Tìm thấy " + results.length + " kết quả cho “" + query.trim() + "”" + within + (results.length > MAX_SHOWN ? ", hiện " + MAX_SHOWN + " kết quả đầu." : ".")
        : "Không tìm thấy kết quả nào cho “" + query.trim() + "”" + within + ". Thử gõ ít từ hơn, không dấu, hoặc chọn “Tất cả”.";
      results.slice(0, MAX_SHOWN).forEach(function (result) { list.appendChild(renderResult(result.doc, words)); });
    }

    function renderResult(doc, words) {
      var item = document.createElement("li");
      item.className = "search-result";
      item.setAttribute("data-kind", doc.kind);
      if (doc.lang !== "vi") item.lang = doc.lang; // read aloud and hyphenated as English
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = base + doc.url;
      appendHighlighted(link, doc.title, words);
      heading.appendChild(link);
      var meta = document.createElement("p");
      meta.className = "search-meta";
      var label = document.createElement("span");
      label.className = "search-kind";
      label.textContent = KINDS[doc.kind];
      label.lang = "vi";
      meta.append(label);
      if (doc.lang === "en") {
        var english = document.createElement("span");
        english.className = "search-lang";
        english.lang = "vi";
        english.textContent = "Tiếng Anh";
        meta.append(" · ", english);
      }
      if (doc.iso) {
        var time = document.createElement("time");
        time.dateTime = doc.iso;
        time.textContent = doc.date;
        meta.append(" · ", time);
      }
      [doc.office, doc.campaign].forEach(function (part) { if (part) meta.append(" · " + part); });
      var snippet = document.createElement("p");
      snippet.className = "search-snippet";
      appendHighlighted(snippet, snippetText(doc.text, words, 200), words);
      item.append(heading, meta, snippet);
      return item;
    }

    function update() {
      var query = input.value;
      var url = new URL(location.href);
      if (query.trim()) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (kindField.value) url.searchParams.set("loai", kindField.value); else url.searchParams.delete("loai");
      history.replaceState(null, "", url);
      show(query);
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); if (index) update(); });
    kindField.addEventListener("change", function () { if (index) update(); });
    input.addEventListener("input", function () {
      if (!index) return;
      clearTimeout(timer);
      timer = setTimeout(update, 60); // a short pause so fast typing does not redraw on every key
    });

    status.textContent = "Đang tải chỉ mục tìm kiếm…";
    fetch(form.getAttribute("data-index"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        index = new Index(data);
        window.AwarenessSearch.index = index;
        var params = new URLSearchParams(location.search);
        input.value = params.get("q") || input.value;
        if (Object.prototype.hasOwnProperty.call(KINDS, params.get("loai"))) kindField.value = params.get("loai");
        show(input.value);
        form.setAttribute("data-ready", "true");
      })
      .catch(function () {
        status.textContent = "Không tải được chỉ mục tìm kiếm. Mời tải lại trang.";
      });
  }

  window.AwarenessSearch = { fold: fold, toneNormalise: toneNormalise, stripMarks: stripMarks, terms: terms, Index: Index, index: null };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
