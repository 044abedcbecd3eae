// One chart of the Reports page, drawn by Chart.js on a canvas: lines per week or bars per
// slice, in the theme's colours (redrawn when the OS switches light and dark), without
// animation so it is drawn as soon as the data arrives. A click on a point or bar opens the
// issues behind it; the same numbers are one button away as a table, and the chart saves as PNG.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from "chart.js";
import { useEffect, useLayoutEffect, useRef, useState } from "react";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

export interface Series {
  label: string;
  /** One value per label; null where there is nothing to show (a rate with nothing to divide). */
  values: (number | null)[];
  /** A theme colour variable, e.g. "--accent". */
  color: string;
}

export interface ChartSpec {
  kind: "line" | "bar";
  title: string;
  /** Said to screen readers instead of the picture. */
  summary: string;
  labels: string[];
  series: Series[];
  /** Values are fractions shown as percentages (0–100 %). */
  percent?: boolean;
  /** Bars stacked on each other. */
  stacked?: boolean;
  /** Bars run sideways (long labels such as client names). */
  horizontal?: boolean;
  /** How one cell of the table view reads. */
  format: (value: number | null) => string;
  /** Opens the issues behind a point or bar. */
  onPick?: (labelIndex: number, seriesIndex: number) => void;
  /** The name the PNG is saved under. */
  fileName: string;
  /** When its data arrived (performance.now()). */
  arrivedAt?: number;
}

function themeColour(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";
}

/** Paints the panel colour under the chart, so a saved PNG is readable on any viewer. */
const background: Plugin = {
  id: "frontline-background",
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = themeColour("--panel");
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Marks the canvas once drawn: how many points or bars it shows, and where the first of them
 * is (CSS pixels from the canvas's top-left), so a test can see the chart and click a bar. */
const drawnMarker: Plugin = {
  id: "frontline-drawn",
  afterRender(chart) {
    const shown = chart.data.datasets.flatMap((_, i) => chart.getDatasetMeta(i).data.filter((_, j) => chart.data.datasets[i].data[j] != null && chart.data.datasets[i].data[j] !== 0));
    chart.canvas.dataset.drawn = String(shown.length);
    // From the data's arrival (the chart being made) to this first drawing.
    const arrived = Number(chart.canvas.dataset.arrivedAt);
    if (arrived && chart.canvas.dataset.drawMs === undefined) chart.canvas.dataset.drawMs = (performance.now() - arrived).toFixed(1);
    // Bars and points both know their centre.
    const first = (shown[0] as unknown as { getCenterPoint?: () => { x: number; y: number } } | undefined)?.getCenterPoint?.();
    if (first) {
      chart.canvas.dataset.pickX = String(Math.round(first.x));
      chart.canvas.dataset.pickY = String(Math.round(first.y));
    }
  },
};

function useDarkScheme(): boolean {
  const query = typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const onChange = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, [query]);
  return dark;
}

function config(spec: ChartSpec): ChartConfiguration {
  const text = themeColour("--muted");
  const grid = themeColour("--border");
  const valueAxis = {
    beginAtZero: true,
    max: spec.percent ? 1 : undefined,
    stacked: spec.stacked,
    grid: { color: grid },
    ticks: {
      color: text,
      precision: spec.percent ? undefined : 0,
      callback: (v: number | string) => (spec.percent ? `${Math.round(Number(v) * 100)}%` : v),
    },
  };
  const labelAxis = { stacked: spec.stacked, grid: { display: false }, ticks: { color: text, autoSkip: false, maxRotation: 0 } };
  return {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s) => {
        const colour = themeColour(s.color);
        return {
          label: s.label,
          data: s.values,
          borderColor: colour,
          backgroundColor: colour,
          borderWidth: 2,
          pointRadius: 4,
          pointHoverRadius: 6,
          spanGaps: false,
          maxBarThickness: 36,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? "y" : "x",
      interaction: { mode: "nearest", intersect: true },
      onHover: (event, elements) => {
        const canvas = event.native?.target as HTMLCanvasElement | undefined;
        if (canvas) canvas.style.cursor = elements.length && spec.onPick ? "pointer" : "default";
      },
      onClick: (_event, elements) => {
        const hit = elements[0];
        if (hit && spec.onPick) spec.onPick(hit.index, hit.datasetIndex);
      },
      scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: text, boxWidth: 12, boxHeight: 12 } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${spec.format(item.raw as number | null)}`,
          },
        },
      },
    },
    plugins: [background, drawnMarker],
  };
}

/** Draws a line chart and a bar chart once on a canvas that is never shown, and throws them
 * away: JavaScriptCore compiles the charting code then, and the first look at the Reports page
 * does not wait for it. */
function warmUp() {
  const canvas = document.createElement("canvas");
  canvas.width = 320;
  canvas.height = 160;
  if (!canvas.getContext("2d")) return;
  for (const kind of ["line", "bar"] as const) {
    const spec: ChartSpec = {
      kind,
      title: "",
      summary: "",
      labels: ["1", "2", "3"],
      series: [
        { label: "a", values: [0.2, null, 0.6], color: "--accent" },
        { label: "b", values: [0.4, 0.1, 0], color: "--muted" },
      ],
      percent: kind === "line",
      stacked: kind === "bar",
      format: String,
      fileName: "",
    };
    const warm = config(spec);
    const chart = new Chart(canvas, { ...warm, options: { ...warm.options, responsive: false } });
    chart.destroy();
  }
}

// This module loads in the background once the first screen has painted (App preloads every
// page): the warm-up runs then, on its own turn of the event loop.
setTimeout(() => {
  try {
    warmUp();
  } catch {
    // Only a head start: the page draws its charts all the same.
  }
}, 0);

export function ReportChart({ spec, onSavePng }: { spec: ChartSpec; onSavePng: (png: Blob, fileName: string) => void }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart | null>(null);
  const [asTable, setAsTable] = useState(false);
  const dark = useDarkScheme();

  // Before the page is painted, so the chart is in the page's first frame.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || asTable) return;
    // How long from the data's arrival to the first drawing (the benchmark reads it).
    canvas.dataset.arrivedAt = String(spec.arrivedAt ?? performance.now());
    delete canvas.dataset.drawMs;
    const chart = new Chart(canvas, config(spec));
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, [spec, asTable, dark]);

  const savePng = () => {
    chartRef.current?.canvas.toBlob((blob) => blob && onSavePng(blob, spec.fileName), "image/png");
  };

  return (
    <section className="card chart-card" aria-label={spec.title}>
      <div className="card-head">
        <h2>{spec.title}</h2>
        <div className="spacer" />
        <button className="btn ghost" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? "Show chart" : "Show table"}
        </button>
        {!asTable && (
          <button className="btn ghost" onClick={savePng}>
            Save PNG
          </button>
        )}
      </div>
      {asTable ? (
        <ChartTable spec={spec} />
      ) : (
        <div className="chart-box">
          <canvas ref={canvasRef} role="img" aria-label={`${spec.title}. ${spec.summary}`} data-testid={`chart-${spec.fileName}`} />
        </div>
      )}
    </section>
  );
}

function ChartTable({ spec }: { spec: ChartSpec }) {
  return (
    <table className="table report-table">
      <caption className="visually-hidden">{spec.title}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {spec.series.map((s) => (
            <th scope="col" key={s.label}>
              {s.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {spec.labels.map((label, i) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {spec.series.map((s, j) => (
              <td key={s.label}>
                {spec.onPick ? (
                  <button className="link-button" onClick={() => spec.onPick?.(i, j)}>
                    {spec.format(s.values[i])}
                  </button>
                ) : (
                  spec.format(s.values[i])
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
