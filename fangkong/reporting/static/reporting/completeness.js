// Reporting-rate chart: one stacked bar per unit group, data from the json_script block.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("completeness-chart");
  var dataEl = document.getElementById("completeness-data");
  if (!el || !dataEl || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var colours = { on_time: "#198754", zero: "#0dcaf0", late: "#ffc107", pending: "#adb5bd", overdue: "#fd7e14", missing: "#dc3545" };
  var chart = echarts.init(el);
  chart.setOption({
    // ECharts describes the chart in an aria-label (series, values) for screen readers; the table below
    // (aria-describedby on the container) holds the same figures.
    aria: { enabled: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    // On a phone the legend wraps onto a second line: leave it room above the bars.
    grid: { left: 8, right: 8, bottom: 8, top: el.clientWidth < 576 ? 64 : 36, containLabel: true },
    xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 6 ? 30 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "units", data: s.data, itemStyle: { color: colours[s.key] } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
