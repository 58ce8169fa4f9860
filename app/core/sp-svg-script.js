// The script of an exported flame graph: zoom, search, details, URL state.
// Frames are <g class="f"> with a <title> "NAME (COUNT, PERCENT)", a <rect> and a <text>.
// The writer defines `texts` before this script: its words, in the language of the export.
"use strict";
var svg, details, matchedText, unzoomButton, searchButton, caseButton;
var frames = [], byId = {};
var xpad = 10, fullWidth = 0, fontSize = 12, fontWidth = 0.59;
var zoomed = null, searchTerm = null, ignoreCase = true;

function init(evt) {
  svg = document.documentElement;
  details = document.getElementById("details").firstChild;
  matchedText = document.getElementById("matched");
  unzoomButton = document.getElementById("unzoom");
  searchButton = document.getElementById("search");
  caseButton = document.getElementById("ignorecase");
  fullWidth = parseFloat(svg.getAttribute("width")) - 2 * xpad;
  var groups = document.getElementById("frames").getElementsByTagName("g");
  for (var i = 0; i < groups.length; i++) {
    var g = groups[i], rect = g.getElementsByTagName("rect")[0];
    var title = g.getElementsByTagName("title")[0].textContent;
    var f = { g: g, rect: rect, text: g.getElementsByTagName("text")[0],
              x: parseFloat(rect.getAttribute("x")), w: parseFloat(rect.getAttribute("width")),
              row: parseInt(g.getAttribute("data-row"), 10), fill: rect.getAttribute("fill"),
              name: title.substring(0, title.lastIndexOf(" (")), title: title };
    frames.push(f);
    byId[g.id] = f;
  }
  var params = new URLSearchParams(document.location.search);
  if (params.get("ic") === "0") ignoreCase = false;
  updateCaseButton();
  if (params.get("z") && byId["f" + params.get("z")]) zoom(byId["f" + params.get("z")]);
  if (params.get("s")) search(params.get("s"));
}

function frameOf(node) {
  while (node && node !== svg) {
    if (node.classList && node.classList.contains("f")) return byId[node.id];
    node = node.parentNode;
  }
  return null;
}

window.addEventListener("click", function (e) {
  var f = frameOf(e.target);
  if (f) { zoom(f); updateUrl(); }
  else if (e.target.parentNode === unzoomButton || e.target === unzoomButton) { unzoom(); updateUrl(); }
  else if (e.target === searchButton || e.target.parentNode === searchButton) searchPrompt();
  else if (e.target === caseButton || e.target.parentNode === caseButton) toggleCase();
}, false);
window.addEventListener("mouseover", function (e) {
  var f = frameOf(e.target);
  if (f) details.nodeValue = texts.fn.replace("%s", function () { return f.title; });
}, false);
window.addEventListener("mouseout", function (e) {
  if (frameOf(e.target)) details.nodeValue = " ";
}, false);
window.addEventListener("keydown", function (e) {
  if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) {
    e.preventDefault();
    searchPrompt();
  } else if ((e.ctrlKey || e.metaKey) && e.keyCode === 73) {
    e.preventDefault();
    toggleCase();
  } else if (e.keyCode === 27) {
    unzoom();
    updateUrl();
  }
}, false);

function updateUrl() {
  var params = new URLSearchParams(document.location.search);
  if (zoomed) params.set("z", zoomed.g.id.substring(1)); else params.delete("z");
  if (searchTerm) params.set("s", searchTerm); else params.delete("s");
  if (!ignoreCase) params.set("ic", "0"); else params.delete("ic");
  var query = params.toString();
  history.replaceState(null, null, document.location.pathname + (query ? "?" + query : ""));
}

// Labels are cut to what fits, with ".." marking a cut.
function fitText(f, x, w) {
  var chars = Math.floor((w - 6) / (fontSize * fontWidth));
  f.text.setAttribute("x", x + 3);
  if (chars < 3) { f.text.textContent = ""; return; }
  f.text.textContent = f.name.length <= chars ? f.name : f.name.substring(0, chars - 2) + "..";
}

function place(f, x, w) {
  f.rect.setAttribute("x", x);
  f.rect.setAttribute("width", w);
  fitText(f, x, w);
}

function zoom(target) {
  var tx = target.x, tw = target.w, ratio = fullWidth / tw, eps = 0.0001;
  zoomed = target;
  unzoomButton.classList.remove("hide");
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i];
    f.g.classList.remove("hide", "parent");
    if (f.row < target.row && f.x <= tx + eps && f.x + f.w >= tx + tw - eps) {
      f.g.classList.add("parent");
      place(f, xpad, fullWidth);
    } else if (f.row >= target.row && f.x >= tx - eps && f.x + f.w <= tx + tw + eps) {
      place(f, xpad + (f.x - tx) * ratio, f.w * ratio);
    } else {
      f.g.classList.add("hide");
    }
  }
}

function unzoom() {
  zoomed = null;
  unzoomButton.classList.add("hide");
  for (var i = 0; i < frames.length; i++) {
    frames[i].g.classList.remove("hide", "parent");
    place(frames[i], frames[i].x, frames[i].w);
  }
}

function toggleCase() {
  ignoreCase = !ignoreCase;
  updateCaseButton();
  if (searchTerm) search(searchTerm);
  updateUrl();
}

function updateCaseButton() {
  caseButton.classList.toggle("active", !ignoreCase);
  caseButton.firstChild.nodeValue = ignoreCase ? "ic" : "Cc";
}

function searchPrompt() {
  if (searchTerm) { resetSearch(); updateUrl(); return; }
  var term = prompt(ignoreCase ? texts.promptIgnoringCase : texts.promptMatchingCase, "");
  if (term) { search(term); updateUrl(); }
}

function resetSearch() {
  searchTerm = null;
  for (var i = 0; i < frames.length; i++) frames[i].rect.setAttribute("fill", frames[i].fill);
  matchedText.classList.add("hide");
  searchButton.classList.remove("show");
  searchButton.firstChild.nodeValue = texts.search;
}

// Matched % adds up the matching frames of the graph; a match inside another match is not
// counted again.
function search(term) {
  var re;
  try { re = new RegExp(term, ignoreCase ? "i" : ""); }
  catch (err) { alert(texts.badRegExp.replace("%s", function () { return err.message; })); return; }
  searchTerm = term;
  var matches = [];
  for (var i = 0; i < frames.length; i++) {
    var f = frames[i], hit = f.row > 0 && re.test(f.name);
    f.rect.setAttribute("fill", hit ? "rgb(230,0,230)" : f.fill);
    if (hit) matches.push(f);
  }
  matches.sort(function (a, b) { return a.x - b.x || a.row - b.row; });
  var covered = 0, end = -1;
  for (var j = 0; j < matches.length; j++) {
    if (matches[j].x >= end - 0.0001) { covered += matches[j].w; end = matches[j].x + matches[j].w; }
  }
  searchButton.classList.add("show");
  searchButton.firstChild.nodeValue = texts.resetSearch;
  matchedText.classList.remove("hide");
  var pct = 100 * covered / fullWidth;
  matchedText.firstChild.nodeValue =
    texts.matched.replace("%s", pct === 100 ? "100" : pct.toFixed(1)).replace("%%", "%");
}
