extension HTMLReport {
    /// The page's style: screen and A4 print.
    static let style = """
        :root{--ink:#1a202c;--mute:#5a6270;--line:#d8dde6;--head:#eef2f7;--accent:#2b6cb0}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:1280px;padding:16px 24px;color:var(--ink);font:14px/1.45 system-ui,"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif}
        h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0 0 8px;color:var(--mute)}
        dl.meta dt{font-weight:600}dl.meta dd{margin:0}
        ul.summary{margin:6px 0;padding-left:20px}ul.summary a{color:inherit}li.failed{color:#c53030}
        .controls{display:flex;gap:16px;flex-wrap:wrap;align-items:center;margin:6px 0}
        .controls input,.controls select{font:inherit;padding:3px 6px}
        .hint,.note{color:var(--mute);font-size:12.5px;margin:4px 0}
        .mapbox{display:flex;gap:12px;align-items:flex-start}
        .mapwrap{flex:1;min-width:0;overflow:auto;max-height:82vh;border:1px solid var(--line);border-radius:4px;background:#fff}
        .mapwrap svg{display:block}.mapwrap.fit svg{max-width:100%;height:auto}
        .mapwrap g.node[id^="c."]{cursor:pointer}
        .mapwrap g.node.dim,.mapwrap g.edge.dim{opacity:.15}
        .mapwrap g.node.sel>g>a>polygon,.mapwrap g.node.sel>polygon,.mapwrap g.node.sel path{stroke:#e53e3e;stroke-width:4}
        .mapwrap g.node.hit>g>a>polygon,.mapwrap g.node.hit>polygon,.mapwrap g.node.hit path{stroke:#2b6cb0;stroke-width:4}
        aside#panel{width:360px;flex:none;max-height:82vh;overflow:auto;border:1px solid var(--line);border-radius:4px;padding:10px 12px;background:#fafbfc;font-size:13px}
        aside#panel h3{margin:0 0 4px}aside#panel h4{margin:12px 0 4px;font-size:13px}
        aside#panel button.close{float:right}
        aside#panel dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 8px;margin:2px 0 8px}aside#panel dt{color:var(--mute)}aside#panel dd{margin:0}
        table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0}
        th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
        th{background:var(--head);cursor:pointer;user-select:none;white-space:nowrap}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        td.short{white-space:nowrap}
        .pager{display:flex;gap:10px;align-items:center;font-size:12.5px;color:var(--mute)}
        figure.chart{margin:8px 0 16px}figure.chart svg{max-width:100%;height:auto}figcaption{font-weight:600;margin-bottom:4px}
        figure.chart .lab{font-size:12px;text-anchor:end}figure.chart .val,figure.chart .lg{font-size:11px}
        figure.chart .tick{font-size:10px;text-anchor:middle;fill:var(--mute)}figure.chart .grid{stroke:var(--line)}
        .src{font-weight:400;color:var(--mute)}
        ol.sources{font-size:12px;color:var(--mute);padding-left:24px}.n{color:#999}
        footer{margin-top:24px;color:var(--mute);font-size:12px}
        @page{size:A4;margin:12mm}
        @page landscape{size:A4 landscape;margin:10mm}
        @media print{
          body{max-width:none;padding:0;font-size:10pt}
          .controls,.hint,aside#panel,.pager button{display:none!important}
          #map{page:landscape;break-after:page}
          .mapbox{display:block}.mapwrap{max-height:none;overflow:visible;border:none}
          .mapwrap svg{width:100%!important;height:auto!important;max-height:165mm}
          h2,h3,figcaption{break-after:avoid}tr,figure{break-inside:avoid}thead{display:table-header-group}
          table{font-size:8pt}th{background:#eee!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}
          a{color:inherit;text-decoration:none}
        }
        """

    /// The page's script: sortable, paged tables and the interactive map. It reads the data
    /// element and writes with `textContent` only, so no text of a model can become markup.
    static let script = #"""
        (function () {
          "use strict";
          var D = JSON.parse(document.getElementById("data").textContent);
          var W = D.words;
          var lang = document.documentElement.lang;
          function el(tag, cls, text) {
            var e = document.createElement(tag);
            if (cls) e.className = cls;
            if (text !== undefined && text !== null) e.textContent = text;
            return e;
          }
          function text(c) { return c === null ? "" : Array.isArray(c) ? c[0] : c; }
          function key(c) { return c === null ? null : Array.isArray(c) ? c[1] : c; }

          // Tables: sortable by any column, paged.
          function renderTable(st) {
            var t = st.t, n = st.order.length, size = D.pageSize;
            var pages = Math.max(1, Math.ceil(n / size));
            if (st.page >= pages) st.page = pages - 1;
            var table = el("table"), head = el("thead"), tr = el("tr");
            t.cols.forEach(function (c, i) {
              var th = el("th", c.n ? "num" : "", c.t + (st.sortCol === i ? (st.asc ? " \u25B2" : " \u25BC") : ""));
              th.title = W.sortHint;
              th.addEventListener("click", function () { sortBy(st, i); });
              tr.appendChild(th);
            });
            head.appendChild(tr);
            table.appendChild(head);
            var body = el("tbody");
            st.order.slice(st.page * size, (st.page + 1) * size).forEach(function (r) {
              var row = el("tr");
              t.rows[r].forEach(function (c, i) {
                var v = t.cols[i].n && c === null ? "\u2013" : text(c);
                row.appendChild(el("td", t.cols[i].n ? "num" : v.length <= 10 ? "short" : "", v));
              });
              body.appendChild(row);
            });
            table.appendChild(body);
            var parts = [table];
            if (pages > 1) {
              var pager = el("div", "pager");
              var prev = el("button", "", W.previous), next = el("button", "", W.next);
              prev.disabled = st.page === 0;
              next.disabled = st.page === pages - 1;
              prev.addEventListener("click", function () { st.page--; renderTable(st); });
              next.addEventListener("click", function () { st.page++; renderTable(st); });
              var first = st.page * size + 1, last = Math.min(n, (st.page + 1) * size);
              pager.appendChild(prev);
              pager.appendChild(el("span", "", W.page + " " + (st.page + 1) + "/" + pages + " \u00B7 " + first + "\u2013" + last + " / " + n + " " + W.rows));
              pager.appendChild(next);
              parts.push(pager);
            }
            st.div.replaceChildren.apply(st.div, parts);
          }
          function sortBy(st, i) {
            st.asc = st.sortCol === i ? !st.asc : true;
            st.sortCol = i;
            var rows = st.t.rows, dir = st.asc ? 1 : -1;
            st.order.sort(function (a, b) {
              var x = key(rows[a][i]), y = key(rows[b][i]);
              if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
              var d = typeof x === "number" ? x - y : String(x).localeCompare(String(y), lang);
              return d !== 0 ? d * dir : a - b;
            });
            st.page = 0;
            renderTable(st);
          }
          document.querySelectorAll("div.table").forEach(function (div) {
            var t = D.tables[+div.getAttribute("data-table")];
            var st = { t: t, div: div, order: t.rows.map(function (_, i) { return i; }), page: 0, sortCol: -1, asc: true };
            renderTable(st);
          });

          // The map.
          var svg = document.querySelector("#mapwrap svg");
          var panel = document.getElementById("panel");
          if (!svg || !panel) return;
          var nodes = {}, index = {};
          D.components.forEach(function (c, i) { index[c[0]] = i; });
          svg.querySelectorAll("g.node").forEach(function (g) {
            if (g.id.indexOf("c.") !== 0) return;
            var id = g.id.slice(2);
            if (!(id in index)) return;
            nodes[id] = g;
            g.addEventListener("click", function (e) { e.preventDefault(); showComponent(id); });
          });
          function pct(s) { return s === null ? "" : (Math.round(s * 1000) / 10) + " %"; }
          function mark(cls, ids) {
            Object.keys(nodes).forEach(function (id) { nodes[id].classList.toggle(cls, ids.indexOf(id) >= 0); });
          }
          function open(title) {
            panel.replaceChildren();
            var close = el("button", "close", W.close);
            close.addEventListener("click", function () { panel.hidden = true; mark("sel", []); mark("hit", []); });
            panel.appendChild(close);
            panel.appendChild(el("h3", "", title));
            panel.hidden = false;
          }
          function related(k) {
            var list = D.keyed[k] || [];
            if (!list.length) return;
            panel.appendChild(el("h4", "", W.inAnalyses));
            list.forEach(function (p) {
              var t = D.tables[p[0]], row = t.rows[p[1]];
              panel.appendChild(el("div", "note", t.analysis + " \u00B7 " + t.title));
              var dl = el("dl");
              t.cols.forEach(function (c, i) {
                if (row[i] === null || text(row[i]) === "") return;
                dl.appendChild(el("dt", "", c.t));
                dl.appendChild(el("dd", "", text(row[i])));
              });
              panel.appendChild(dl);
            });
          }
          function attribute(f, a) {
            var pairs = f[3] || [];
            for (var i = 0; i < pairs.length; i++) if (pairs[i][0] === a) return pairs[i][1];
            return "";
          }
          function showComponent(id) {
            var c = D.components[index[id]];
            open(c[1]);
            panel.appendChild(el("div", "note", id + " \u00B7 " + W.segment + ": " + D.segments[c[2]]));
            panel.appendChild(el("h4", "", W.suppliers + " (" + c[3].length + ")"));
            if (!c[3].length) panel.appendChild(el("p", "", W.noSuppliers));
            else {
              var table = el("table"), tr = el("tr");
              // The attributes any of these suppliers has, one column each, in the model's order.
              var shown = [];
              c[3].forEach(function (l) { (D.firms[l[0]][3] || []).forEach(function (p) { if (shown.indexOf(p[0]) < 0) shown.push(p[0]); }); });
              shown.sort(function (a, b) { return a - b; });
              [W.firm, W.region, W.product, W.share].concat(shown.map(function (a) { return D.attributes[a]; }))
                .forEach(function (h) { tr.appendChild(el("th", "", h)); });
              table.appendChild(tr);
              c[3].forEach(function (l) {
                var f = D.firms[l[0]], row = el("tr");
                row.className = "supplier";
                [f[1], D.regions[f[2]], l[1] || "", pct(l[2])].concat(shown.map(function (a) { return attribute(f, a); }))
                  .forEach(function (v) { row.appendChild(el("td", "", v)); });
                table.appendChild(row);
              });
              panel.appendChild(table);
            }
            related("c:" + id);
            mark("hit", []);
            mark("sel", [id]);
          }
          var firmLinks = null;
          function showFirm(f) {
            if (!firmLinks) {
              firmLinks = {};
              D.components.forEach(function (c, ci) { c[3].forEach(function (l) { (firmLinks[l[0]] = firmLinks[l[0]] || []).push([ci, l[1], l[2]]); }); });
            }
            var firm = D.firms[f], links = firmLinks[f] || [];
            open(firm[1]);
            panel.appendChild(el("div", "note", firm[0] + " \u00B7 " + W.region + ": " + D.regions[firm[2]]));
            if (firm[3] && firm[3].length) {
              var attrs = el("dl");
              attrs.className = "attributes";
              firm[3].forEach(function (p) { attrs.appendChild(el("dt", "", D.attributes[p[0]])); attrs.appendChild(el("dd", "", p[1])); });
              panel.appendChild(attrs);
            }
            panel.appendChild(el("h4", "", W.supplies + " (" + links.length + ")"));
            var table = el("table"), tr = el("tr");
            [W.component, W.product, W.share].forEach(function (h) { tr.appendChild(el("th", "", h)); });
            table.appendChild(tr);
            links.forEach(function (l) {
              var row = el("tr");
              [D.components[l[0]][1], l[1] || "", pct(l[2])].forEach(function (v) { row.appendChild(el("td", "", v)); });
              table.appendChild(row);
            });
            panel.appendChild(table);
            related("f:" + firm[0]);
            mark("sel", []);
            mark("hit", links.map(function (l) { return D.components[l[0]][0]; }));
          }
          var search = document.getElementById("firm");
          search.addEventListener("change", function () {
            var q = search.value.trim().toLowerCase();
            if (!q) return;
            var found = -1;
            for (var i = 0; i < D.firms.length && found < 0; i++) if (D.firms[i][1].toLowerCase() === q || D.firms[i][0].toLowerCase() === q) found = i;
            for (i = 0; i < D.firms.length && found < 0; i++) if (D.firms[i][1].toLowerCase().indexOf(q) >= 0) found = i;
            if (found >= 0) showFirm(found);
          });
          document.getElementById("segment").addEventListener("change", function (e) {
            var s = e.target.value;
            Object.keys(nodes).forEach(function (id) {
              nodes[id].classList.toggle("dim", s !== "" && String(D.components[index[id]][2]) !== s);
            });
          });
          document.getElementById("fit").addEventListener("click", function () {
            document.getElementById("mapwrap").classList.toggle("fit");
          });
          window.robochainReport = { showComponent: showComponent, showFirm: showFirm, nodes: nodes };
        })();
        """#
}
