// Who met whom: a small force layout (repulsion between every pair, springs along meetings, a
// pull to the centre), drawn in SVG. Drag a node to move it; hover a node or a line for counts.
(function () {
  "use strict";
  var svg = document.getElementById("graph");
  var holder = document.getElementById("network-data");
  if (!svg || !holder) return;
  var data = JSON.parse(holder.textContent);
  var tip = document.getElementById("tip");
  var NS = svg.namespaceURI, W = 800, H = 480;
  var nodes = data.nodes, links = data.links, n = nodes.length;
  var most = Math.max.apply(null, nodes.map(function (d) { return d.count; }).concat([1]));

  function make(tag, attrs, parent) {
    var el = document.createElementNS(NS, tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    parent.appendChild(el);
    return el;
  }
  function plural(k, word) { return k + " " + word + (k === 1 ? "" : "s"); }

  nodes.forEach(function (d, i) {
    var angle = 2 * Math.PI * i / Math.max(n, 1);
    d.x = W / 2 + 160 * Math.cos(angle); d.y = H / 2 + 140 * Math.sin(angle);
    d.vx = 0; d.vy = 0; d.r = 5 + 9 * Math.sqrt(d.count / most); d.partners = 0;
  });
  links.forEach(function (l) { nodes[l.source].partners++; nodes[l.target].partners++; });

  var edgeLayer = make("g", {}, svg), nodeLayer = make("g", {}, svg);
  links.forEach(function (l) {
    l.el = make("line", {"stroke-width": 1 + Math.min(6, l.count), "class": "link"}, edgeLayer);
    var title = make("title", {}, l.el);
    title.textContent = nodes[l.source].name + " met " + nodes[l.target].name + ": " + plural(l.count, "time");
    l.el.addEventListener("mouseenter", function (ev) { show(ev, title.textContent); });
    l.el.addEventListener("mousemove", move);
    l.el.addEventListener("mouseleave", hide);
  });
  nodes.forEach(function (d, i) {
    d.g = make("g", {"class": "node", "data-name": d.name}, nodeLayer);
    d.el = make("circle", {r: d.r}, d.g);
    var title = make("title", {}, d.el);
    title.textContent = d.name + ": " + plural(d.count, "meeting") + " with " + plural(d.partners, "party");
    d.label = make("text", {dx: d.r + 3, dy: 4}, d.g);
    d.label.textContent = d.name;
    d.el.addEventListener("mouseenter", function (ev) { show(ev, title.textContent); light(i, true); });
    d.el.addEventListener("mousemove", move);
    d.el.addEventListener("mouseleave", function () { hide(); light(i, false); });
    d.el.addEventListener("pointerdown", function (ev) { grab(ev, d); });
  });

  function show(ev, text) { tip.textContent = text; tip.hidden = false; move(ev); }
  function move(ev) { tip.style.left = (ev.clientX + 12) + "px"; tip.style.top = (ev.clientY + 12) + "px"; }
  function hide() { tip.hidden = true; }
  function light(i, on) {
    links.forEach(function (l) {
      if (l.source === i || l.target === i) l.el.classList.toggle("hot", on);
    });
  }

  var dragged = null, heat = 1;
  function point(ev) {
    var box = svg.getBoundingClientRect();
    return {x: (ev.clientX - box.left) * W / box.width, y: (ev.clientY - box.top) * H / box.height};
  }
  function grab(ev, d) {
    dragged = d; d.fixed = true; heat = Math.max(heat, 0.5);
    svg.setPointerCapture(ev.pointerId); ev.preventDefault(); start();
  }
  svg.addEventListener("pointermove", function (ev) {
    if (!dragged) return;
    var p = point(ev); dragged.x = p.x; dragged.y = p.y; heat = Math.max(heat, 0.3); start();
  });
  function release() { if (dragged) { dragged.fixed = false; dragged = null; } }
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);

  function step() {
    var i, j, a, b, dx, dy, d2, f;
    for (i = 0; i < n; i++) {
      a = nodes[i];
      a.vx += (W / 2 - a.x) * 0.004; a.vy += (H / 2 - a.y) * 0.004;
      for (j = i + 1; j < n; j++) {
        b = nodes[j]; dx = a.x - b.x; dy = a.y - b.y; d2 = dx * dx + dy * dy || 0.01;
        f = Math.min(2400 / d2, 8);
        a.vx += dx * f / Math.sqrt(d2); a.vy += dy * f / Math.sqrt(d2);
        b.vx -= dx * f / Math.sqrt(d2); b.vy -= dy * f / Math.sqrt(d2);
      }
    }
    links.forEach(function (l) {
      a = nodes[l.source]; b = nodes[l.target];
      dx = b.x - a.x; dy = b.y - a.y; var d = Math.sqrt(dx * dx + dy * dy) || 1;
      f = (d - 170) * 0.02;
      a.vx += dx / d * f; a.vy += dy / d * f; b.vx -= dx / d * f; b.vy -= dy / d * f;
    });
    nodes.forEach(function (d) {
      if (d.fixed) { d.vx = 0; d.vy = 0; return; }
      d.vx *= 0.6; d.vy *= 0.6;
      d.x = Math.max(d.r, Math.min(W - d.r, d.x + d.vx * heat));
      d.y = Math.max(d.r, Math.min(H - d.r, d.y + d.vy * heat));
    });
  }
  function draw() {
    links.forEach(function (l) {
      l.el.setAttribute("x1", nodes[l.source].x); l.el.setAttribute("y1", nodes[l.source].y);
      l.el.setAttribute("x2", nodes[l.target].x); l.el.setAttribute("y2", nodes[l.target].y);
    });
    nodes.forEach(function (d) { d.g.setAttribute("transform", "translate(" + d.x + "," + d.y + ")"); });
  }
  var running = false;
  function frame() {
    step(); step(); draw();
    heat *= 0.985;
    if (heat > 0.02 || dragged) { requestAnimationFrame(frame); } else { running = false; svg.dataset.settled = "yes"; }
  }
  function start() { if (!running) { running = true; svg.dataset.settled = "no"; requestAnimationFrame(frame); } }
  for (var k = 0; k < 120; k++) step();  // settle before the first paint
  draw(); start();
})();
