/**
 * The page's own script: a squarified treemap (Bruls, Huizing, van Wijk 2000) of nested divs, a hover
 * tooltip, and a search that highlights matching packages. Plain ES2017 with no dependencies, inlined
 * into the page. It reads the data from the JSON block with id "gk-data".
 */
export const TREEMAP_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('gk-data').textContent);
  var map = document.getElementById('treemap');
  var tip = document.getElementById('tip');
  var search = document.getElementById('search');
  var hits = document.getElementById('hits');
  var HEAD = 16;
  var nodes = [];

  function fmt(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(2) + ' MiB';
  }
  function pct(n) { return (100 * n / data.fileSize).toFixed(2) + '%'; }

  function worst(row, sum, side) {
    var max = 0, min = Infinity;
    for (var i = 0; i < row.length; i++) { var a = row[i].area; if (a > max) max = a; if (a < min) min = a; }
    var s2 = side * side, sum2 = sum * sum;
    return Math.max(s2 * max / sum2, sum2 / (s2 * min));
  }

  // lays items (sorted by size, descending) out in rect r; returns [{item, x, y, w, h}]
  function squarify(items, r) {
    var total = 0, out = [];
    for (var i = 0; i < items.length; i++) total += items[i].size;
    if (total <= 0 || r.w <= 0 || r.h <= 0) return out;
    var scale = r.w * r.h / total;
    var rest = items.map(function (it) { return { item: it, area: it.size * scale }; }).filter(function (x) { return x.area > 0; });
    var x = r.x, y = r.y, w = r.w, h = r.h;
    while (rest.length) {
      var side = Math.min(w, h), row = [], sum = 0;
      while (rest.length) {
        var next = rest[0];
        if (row.length && worst(row.concat([next]), sum + next.area, side) > worst(row, sum, side)) break;
        row.push(next); sum += next.area; rest.shift();
      }
      var thick = sum / side, off = 0;
      for (var j = 0; j < row.length; j++) {
        var len = row[j].area / thick;
        if (w >= h) out.push({ item: row[j].item, x: x, y: y + off, w: thick, h: len });
        else out.push({ item: row[j].item, x: x + off, y: y, w: len, h: thick });
        off += len;
      }
      if (w >= h) { x += thick; w -= thick; } else { y += thick; h -= thick; }
    }
    return out;
  }

  function draw(node, r, depth, hue, path, parentEl) {
    var el = document.createElement('div');
    el.className = 'cell d' + depth;
    el.style.left = r.x + 'px'; el.style.top = r.y + 'px';
    el.style.width = Math.max(0, r.w) + 'px'; el.style.height = Math.max(0, r.h) + 'px';
    // hue < 0: the unattributed box, drawn in greys
    el.style.background = hue < 0 ? 'hsl(0,0%,' + (45 + depth * 12) + '%)' : 'hsl(' + hue + ',' + (55 - depth * 8) + '%,' + (38 + depth * 14) + '%)';
    var full = path.concat([node.name]);
    el.dataset.idx = String(nodes.length);
    el.dataset.kind = node.kind;
    el.dataset.name = node.name.toLowerCase();
    nodes.push({ node: node, path: full, el: el });
    parentEl.appendChild(el);
    var kids = node.children || [];
    var roomy = r.w > 30 && r.h > HEAD + 10;
    if (r.w > 28 && r.h > 12) {
      var label = document.createElement('span');
      label.className = 'label';
      label.textContent = node.name + ' ' + fmt(node.size);
      el.appendChild(label);
    }
    if (kids.length && roomy) {
      var inner = { x: 1, y: HEAD, w: r.w - 2, h: r.h - HEAD - 1 };
      var laid = squarify(kids, inner);
      for (var i = 0; i < laid.length; i++) {
        var c = laid[i];
        if (c.w < 2 || c.h < 2) continue;
        // packages of one module get neighbouring hues so their borders read at a glance
        draw(c.item, c, depth + 1, depth === 0 && hue >= 0 ? hue + 360 + ((i * 23) % 60) - 30 : hue, full, el);
      }
    }
  }

  function render() {
    map.innerHTML = ''; nodes = [];
    var r = { x: 0, y: 0, w: map.clientWidth, h: map.clientHeight };
    var laid = squarify(data.tree, r);
    for (var i = 0; i < laid.length; i++) {
      var hue = laid[i].item.kind === 'unattributed' ? -1 : (i * 47) % 360;
      draw(laid[i].item, laid[i], 0, hue, [], map);
    }
    applySearch();
  }

  map.addEventListener('mousemove', function (ev) {
    var el = ev.target.closest ? ev.target.closest('.cell') : null;
    if (!el) { tip.style.display = 'none'; return; }
    var n = nodes[Number(el.dataset.idx)];
    tip.textContent = '';
    var t = document.createElement('div'); t.className = 'tip-title'; t.textContent = n.path.join(' \u203a ');
    var s = document.createElement('div'); s.textContent = fmt(n.node.size) + ' (' + n.node.size + ' bytes, ' + pct(n.node.size) + ' of the file)';
    tip.appendChild(t); tip.appendChild(s);
    if (n.node.detail) { var d = document.createElement('div'); d.className = 'tip-detail'; d.textContent = n.node.detail; tip.appendChild(d); }
    tip.style.display = 'block';
    var x = ev.clientX + 14, y = ev.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) x = ev.clientX - tip.offsetWidth - 8;
    if (y + tip.offsetHeight > window.innerHeight) y = ev.clientY - tip.offsetHeight - 8;
    tip.style.left = x + 'px'; tip.style.top = y + 'px';
  });
  map.addEventListener('mouseleave', function () { tip.style.display = 'none'; });

  function applySearch() {
    var q = search.value.trim().toLowerCase();
    map.classList.toggle('searching', q.length > 0);
    var found = [];
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      var hit = q.length > 0 && n.node.kind === 'package' && n.node.name.toLowerCase().indexOf(q) >= 0;
      n.el.classList.toggle('hit', hit);
    }
    hits.textContent = '';
    if (!q) return;
    for (var k = 0; k < data.packages.length; k++) {
      if (data.packages[k].name.toLowerCase().indexOf(q) >= 0) found.push(data.packages[k]);
    }
    var head = document.createElement('div');
    head.textContent = found.length + ' package(s) match';
    hits.appendChild(head);
    for (var m = 0; m < found.length && m < 50; m++) {
      var row = document.createElement('div');
      row.className = 'hit-row';
      row.textContent = fmt(found[m].size) + '  ' + found[m].name;
      hits.appendChild(row);
    }
  }
  search.addEventListener('input', applySearch);
  window.addEventListener('resize', render);
  render();
})();
`;
