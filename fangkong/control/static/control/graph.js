// The contact graph (ECharts force layout) of /control/contacts/<uuid>/.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("contact-graph");
  if (!box || !window.echarts) return;
  fetch(box.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var chart = window.echarts.init(box);
      chart.setOption({
        legend: [{ data: data.categories.map(function (c) { return c.name; }) }],
        series: [{
          type: "graph", layout: "force", roam: true, draggable: true,
          label: { show: true, position: "right" },
          force: { repulsion: 220, edgeLength: 90 },
          categories: data.categories, data: data.nodes, links: data.links,
          edgeSymbol: ["none", "arrow"],
        }],
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
});
