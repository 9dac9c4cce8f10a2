// The live dashboard: polls /api/dashboard and draws it with uPlot. No build step, no network but
// this instance's own port.
"use strict";

const POLL_MILLIS = 2000;
const HISTOGRAM_WINDOWS = 10;
const rateCharts = new Map();
let pValueChart = null;
let previous = null;
let latest = null;

function el(id) {
  return document.getElementById(id);
}

function text(value, digits) {
  if (value === null || value === undefined) {
    return "-";
  }
  return typeof value === "number" ? value.toLocaleString(undefined, {maximumFractionDigits: digits ?? 0}) : value;
}

/** Cells that scored events: the global cell's summaries only carry dead letters without a cell. */
function cells(data) {
  const names = new Set();
  for (const window of data.windows) {
    Object.entries(window.cells).filter(([, counts]) => counts.events > 0).forEach(([name]) => names.add(name));
  }
  return [...names].sort();
}

/** Per window: the cell's flagged fraction at the working point, alpha, and alpha's 3-sigma binomial band. */
function rateSeries(data, cell, point) {
  const x = [], rate = [], alpha = [], low = [], high = [];
  let offBand = false;
  for (const window of data.windows) {
    const counts = window.cells[cell];
    x.push(window.startMillis / 1000);
    alpha.push(point.alpha);
    if (!counts || counts.events === 0) {
      rate.push(null);
      low.push(null);
      high.push(null);
      continue;
    }
    const n = counts.events;
    const sigma = Math.sqrt(point.alpha * (1 - point.alpha) / n);
    const r = (counts.flagged[point.name] ?? 0) / n;
    rate.push(r);
    low.push(Math.max(0, point.alpha - 3 * sigma));
    high.push(point.alpha + 3 * sigma);
    offBand = r > point.alpha + 3 * sigma || r < point.alpha - 3 * sigma;
  }
  return {data: [x, rate, alpha, low, high], offBand};
}

function rateChart(container, title) {
  const box = document.createElement("div");
  box.className = "chart";
  const heading = document.createElement("div");
  heading.className = "title";
  heading.textContent = title;
  box.appendChild(heading);
  container.appendChild(box);
  const options = {
    width: 380, height: 170,
    scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(max ?? 0, 1e-9) * 1.1]}},
    series: [
      {},
      {label: "rate", stroke: "#1f5fbf", width: 1.5, spanGaps: false},
      // Lines only: uPlot would mark every window of these reference lines with a point.
      {label: "alpha", stroke: "#555", dash: [6, 4], width: 1, points: {show: false}},
      {label: "band", stroke: "rgba(80,160,80,0.5)", width: 1, points: {show: false}},
      {label: "band", stroke: "rgba(80,160,80,0.5)", width: 1, points: {show: false}},
    ],
    bands: [{series: [4, 3], fill: "rgba(80,160,80,0.15)"}],
    axes: [{}, {size: 60, values: (u, ticks) => ticks.map(v => v.toExponential(1))}],
    legend: {show: false},
  };
  return {box, plot: new uPlot(options, [[], [], [], [], []], box)};
}

function drawRates(data) {
  const select = el("working-point");
  if (select.options.length === 0) {
    for (const point of data.workingPoints) {
      select.add(new Option(point.name + " (alpha " + point.alpha + ")", point.name));
    }
    select.onchange = () => latest && drawRates(latest);
  }
  const point = data.workingPoints.find(p => p.name === select.value) ?? data.workingPoints[0];
  const container = el("rates");
  for (const cell of cells(data)) {
    if (!rateCharts.has(cell)) {
      rateCharts.set(cell, rateChart(container, cell));
    }
    const chart = rateCharts.get(cell);
    const series = rateSeries(data, cell, point);
    chart.box.classList.toggle("off-band", series.offBand);
    chart.box.dataset.windows = String(series.data[0].length);
    chart.plot.setData(series.data);
  }
}

function drawPValues(data) {
  const recent = data.windows.slice(-HISTOGRAM_WINDOWS);
  el("histogram-windows").textContent = String(recent.length);
  if (recent.length === 0) {
    return;
  }
  const bins = recent[0].pValueHistogram.length;
  const counts = new Array(bins).fill(0);
  for (const window of recent) {
    window.pValueHistogram.forEach((c, i) => counts[i] += c);
  }
  const x = counts.map((c, i) => (i + 0.5) / bins);
  if (pValueChart === null) {
    pValueChart = new uPlot({
      width: 380, height: 220,
      // Bars start at zero, or a flat histogram looks steep.
      scales: {x: {time: false, range: [0, 1]}, y: {range: (u, min, max) => [0, Math.max(max ?? 0, 1) * 1.1]}},
      series: [{}, {label: "events", fill: "rgba(31,95,191,0.4)", stroke: "#1f5fbf",
        paths: uPlot.paths.bars({size: [0.95, 100]})}],
      legend: {show: false},
    }, [x, counts], el("pvalues"));
  } else {
    pValueChart.setData([x, counts]);
  }
  el("pvalues").dataset.events = String(counts.reduce((a, b) => a + b, 0));
}

function utc(millis) {
  return new Date(millis).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

function fillTable(id, rows, columns) {
  const body = el(id).querySelector("tbody");
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = body.insertRow();
    tr.className = "empty";
    const td = tr.insertCell();
    td.colSpan = columns;
    td.textContent = "none";
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    tr.className = row.className ?? "";
    if (row.kind) {
      tr.dataset.kind = row.kind;
    }
    for (const value of row.values) {
      tr.insertCell().textContent = value ?? "";
    }
  }
}

function drawTables(data) {
  fillTable("open-alerts", data.openAlerts.map(a => ({className: a.state, kind: a.kind, values: [a.kind, a.cell,
    a.feature, a.correctedPValue === null ? "" : a.correctedPValue.toExponential(2),
    utc(a.raisedAtMillis), a.topFeatures.join(", ")]})), 6);
  fillTable("recent-alerts", data.latestAlerts.map(a => ({className: a.state, kind: a.kind, values: [a.state, a.kind,
    a.cell, a.feature, a.message]})), 5);
  fillTable("flags", data.latestFlags.map(f => ({values: [f.id, f.cell, text(f.score, 3),
    f.pValue === null ? "" : f.pValue.toExponential(2), f.workingPoint,
    f.topFeatures.map(c => c.feature + " " + text(c.contribution, 2)).join(", ")]})), 6);
  fillTable("calibration", data.instance.calibration.map(c => ({values: [c.cell, c.workingPoint, c.used,
    text(c.size), c.source]})), 5);
}

function latency(view, scale) {
  return [view.p50, view.p99, view.p999, view.max].map(v => v === null ? "-" : text(v / scale, 1)).join(" / ");
}

function drawInstance(data, now) {
  const instance = data.instance;
  el("identity").textContent = instance.application + " / " + instance.instanceId;
  const badge = el("readiness");
  badge.textContent = instance.ready ? "ready" : "not ready: " + instance.notReadyBecause;
  badge.className = "badge " + (instance.ready ? "ready" : "not-ready");
  if (previous !== null && now > previous.time) {
    el("rate").textContent = text((instance.eventsScored - previous.scored) / ((now - previous.time) / 1000));
  }
  previous = {time: now, scored: instance.eventsScored};
  el("scored").textContent = text(instance.eventsScored);
  el("flagged").textContent = text(instance.eventsFlagged);
  el("dead").textContent = text(instance.deadLetters);
  el("lag").textContent = text(instance.consumerLag);
  el("scoring-latency").textContent = latency(instance.scoringLatencyMicros, 1);
  el("flag-latency").textContent = latency(instance.flagLatencyMicros, 1000);
  el("model").textContent = instance.model.name + " " + instance.model.version
    + (instance.pendingModel ? " (waiting for calibration: " + instance.pendingModel + ")" : "");
}

async function poll() {
  try {
    const response = await fetch("api/dashboard", {cache: "no-store"});
    const data = await response.json();
    const now = Date.now();
    latest = data;
    drawInstance(data, now);
    drawRates(data);
    drawPValues(data);
    drawTables(data);
    el("updated").textContent = "updated " + new Date(now).toLocaleTimeString();
    document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
  } catch (e) {
    el("readiness").textContent = "unreachable";
    el("readiness").className = "badge not-ready";
  }
  setTimeout(poll, POLL_MILLIS);
}

poll();
