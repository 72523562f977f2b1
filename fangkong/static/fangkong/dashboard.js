// Module dashboards (fangkong/templates/today/dashboard.html): the figure by unit (click a bar to drill down to
// the units below it: the page reloads for that unit, its breadcrumb leads back), by day, and the section's
// figures today. Data from the json_script block; the tables under the charts hold the same numbers.
document.addEventListener("DOMContentLoaded", function () {
  var dataEl = document.getElementById("dashboard-data");
  if (!dataEl || typeof echarts === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  var charts = [];

  function bars(id, names, values, onClick) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: values, itemStyle: { color: "#b3261e" } }]
    });
    if (onClick) { chart.on("click", onClick); }
    charts.push(chart);
  }

  bars("dashboard-units", data.units.map(function (u) { return u.name; }),
    data.units.map(function (u) { return u.value; }),
    function (params) {
      var unit = data.units[params.dataIndex];
      var url = new URL(window.location.href);
      url.searchParams.set("unit", unit.code);
      window.location.assign(url.toString());
    });

  var daysEl = document.getElementById("dashboard-days");
  if (daysEl) {
    var line = echarts.init(daysEl);
    line.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 8, bottom: 8, top: 16, containLabel: true },
      xAxis: { type: "category", data: data.days.map(function (d) { return d.day; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", data: data.days.map(function (d) { return d.value; }), itemStyle: { color: "#b3261e" } }]
    });
    charts.push(line);
  }

  bars("dashboard-figures", data.figures.map(function (f) { return f.name; }),
    data.figures.map(function (f) { return f.value; }), null);

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
