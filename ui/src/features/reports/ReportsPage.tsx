// What a lead looks at: first-contact resolution, escalations and the vendor's SLA for a
// period, week by week and per client, category and agent. Every figure opens the queue
// filtered to the issues behind it; the figures export as CSV, each chart as PNG.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api } from "../../shared/api";
import type { Figures, GroupFigures, Measure, Period, Report, ReportSlice, Spread } from "../../shared/bindings";
import { dateTime, grouped } from "../../shared/format";
import { ReportChart, type ChartSpec } from "./ReportChart";
import { PERIODS, day, duration, ofWhole, percent, sliceLabel, span } from "./reportText";

export type OpenSlice = (slice: ReportSlice, label: string) => void;

const SCOPE_WORDS = { desktop: "Issues on this desktop", team: "The whole team", mine: "Issues you logged" } as const;

function slice(period: Period, measure: Measure, patch: Partial<ReportSlice> = {}): ReportSlice {
  return { period, measure, week: null, client_id: null, category: null, agent: null, rung: null, urgency: null, age: null, ...patch };
}

export function ReportsPage(props: { onOpenSlice: OpenSlice; onOpenIssue: (id: string) => void; onError: (m: string) => void; onInfo: (m: string) => void }) {
  const { onOpenSlice, onOpenIssue, onError, onInfo } = props;
  const [period, setPeriod] = useState<Period>({ kind: "last_four_weeks" });
  const [custom, setCustom] = useState({ from: "", to: "" });
  const report = useQuery({ queryKey: ["report", period], queryFn: () => api.report(period), placeholderData: (prev) => prev, retry: false });

  const saved = (path: string | null) => path && onInfo(`Saved to ${path}`);
  const exportCsv = () =>
    api
      .exportReportCsv(period)
      .then(saved)
      .catch((e: Error) => onError(e.message));
  const savePng = (png: Blob, fileName: string) =>
    api
      .exportChartPng(png, fileName)
      .then(saved)
      .catch((e: Error) => onError(e.message));

  // Every breached issue of the period, not only those listed.
  const saveEvidence = (breaches: ReportSlice, title: string) =>
    api
      .reportIssues(breaches)
      .then((ids) => api.exportEvidencePack(ids, title))
      .then((path) => path && onInfo(`Evidence pack saved to ${path}`))
      .catch((e: Error) => onError(e.message));
  const checkPack = () =>
    api
      .verifyEvidencePack()
      .then((v) => v && (v.intact ? onInfo(v.message) : onError(v.message)))
      .catch((e: Error) => onError(e.message));

  return (
    <div className="page reports-page">
      <div className="page-header">
        <h1>Reports</h1>
        {report.data && (
          <span className="muted" data-testid="report-span">
            {span(report.data.from, report.data.to)} · {SCOPE_WORDS[report.data.scope]} · weeks start {report.data.week_starts}, {report.data.time_zone}
          </span>
        )}
      </div>
      <div className="filters">
        <div className="segmented" role="group" aria-label="Period">
          {PERIODS.map((p) => (
            <button key={p.kind} className="seg" aria-pressed={period.kind === p.kind} onClick={() => setPeriod({ kind: p.kind })}>
              {p.label}
            </button>
          ))}
          <button className="seg" aria-pressed={period.kind === "custom"} onClick={() => custom.from && custom.to && setPeriod({ kind: "custom", ...custom })}>
            Custom
          </button>
        </div>
        <form
          className="inline-row"
          onSubmit={(e) => {
            e.preventDefault();
            setPeriod({ kind: "custom", ...custom });
          }}
        >
          <label className="inline-row">
            From <input className="input" type="date" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} required />
          </label>
          <label className="inline-row">
            to <input className="input" type="date" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} required />
          </label>
          <button className="btn" type="submit">
            Show
          </button>
        </form>
        <div className="spacer" />
        <button className="btn ghost" onClick={checkPack} title="Says whether an evidence pack is as it was made, or names the first changed event">
          Check an evidence pack…
        </button>
        <button className="btn" onClick={exportCsv} disabled={!report.data || report.data.empty}>
          Export CSV
        </button>
      </div>
      {report.isError ? (
        <div className="card form-error" role="alert">
          {report.error.message}
        </div>
      ) : !report.data ? (
        <div className="loading">Working out the figures…</div>
      ) : report.data.empty ? (
        <div className="card empty" data-testid="report-empty">
          <strong>No issues in this period.</strong>
          <span>Nothing was logged, resolved or escalated between these days. Choose another period.</span>
        </div>
      ) : (
        <ReportBody report={report.data} onOpenSlice={onOpenSlice} onOpenIssue={onOpenIssue} onSavePng={savePng} onEvidence={saveEvidence} />
      )}
    </div>
  );
}

function ReportBody(props: {
  report: Report;
  onOpenSlice: OpenSlice;
  onOpenIssue: (id: string) => void;
  onSavePng: (png: Blob, name: string) => void;
  onEvidence: (breaches: ReportSlice, title: string) => void;
}) {
  const { report, onOpenSlice, onOpenIssue, onSavePng, onEvidence } = props;
  const { total, period } = report;
  const open = (measure: Measure, patch: Partial<ReportSlice> = {}, ...words: (string | null)[]) =>
    onOpenSlice(slice(period, measure, patch), sliceLabel(measure, [...words, span(report.from, report.to)]));
  const charts = useMemo(() => chartsOf(report, onOpenSlice), [report, onOpenSlice]);
  return (
    <div className="stack">
      <div className="tiles" data-testid="report-tiles">
        <Tile
          title="First-contact resolution"
          value={percent(total.first_contact_rate)}
          detail={`${ofWhole(total.first_line, total.resolved)} resolved`}
          definition="Issues resolved at the first line, never escalated to the vendor, out of all issues resolved in the period."
          onClick={() => open("first_line")}
        />
        <Tile
          title="Escalation rate"
          value={percent(total.escalation_rate)}
          detail={`${ofWhole(total.logged_escalated, total.logged)} logged`}
          definition="Issues logged in the period that have been escalated to the vendor, out of all issues logged in it."
          onClick={() => open("logged")}
        />
        <Tile
          title="Vendor SLA met"
          value={percent(total.sla_rate)}
          detail={`${ofWhole(total.sla_met, total.sla_due)} targets due`}
          definition="Acknowledgement and resolution targets of the period's escalations met in time, out of those due (met, or past their due time)."
          onClick={() => open("escalated")}
        />
        <Tile
          title="Vendor's first response"
          value={duration(report.first_response.median_minutes)}
          detail={spreadWords(report.first_response, "no vendor response yet")}
          definition="From escalation to the vendor's first reply or owner, for the period's escalations (wall-clock time)."
          onClick={() => open("escalated")}
        />
        <Tile
          title="Time to resolution"
          value={duration(report.resolution_time.median_minutes)}
          detail={spreadWords(report.resolution_time, "nothing resolved yet")}
          definition="From logging to the last resolution, for the issues resolved in the period (wall-clock time)."
          onClick={() => open("resolved")}
        />
      </div>
      <div className="chart-grid">
        {charts.map((c) => (
          <ReportChart key={c.fileName} spec={c} onSavePng={onSavePng} />
        ))}
      </div>
      <section className="card" aria-labelledby="sla-title">
        <div className="card-head">
          <h2 id="sla-title">Vendor SLA by urgency</h2>
        </div>
        <table className="table report-table" data-testid="sla-table">
          <thead>
            <tr>
              <th scope="col">Urgency</th>
              <th scope="col">Acknowledged in time</th>
              <th scope="col">Resolved in time</th>
            </tr>
          </thead>
          <tbody>
            {report.sla.map((l) => (
              <tr key={l.urgency}>
                <th scope="row">{l.urgency[0].toUpperCase() + l.urgency.slice(1)}</th>
                <td>
                  {percent(l.acknowledgement.rate)} <span className="faint">({ofWhole(l.acknowledgement.met, l.acknowledgement.due)})</span>
                </td>
                <td>
                  {percent(l.resolution.rate)} <span className="faint">({ofWhole(l.resolution.met, l.resolution.due)})</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="card-head top-gap">
          <h3>Targets the vendor broke</h3>
          {report.breaches.length > 0 && (
            <button className="btn" onClick={() => onEvidence(slice(period, "breached"), `SLA breaches, ${span(report.from, report.to)}`)}>
              Save the evidence pack…
            </button>
          )}
        </div>
        {report.breaches.length === 0 ? (
          <p className="muted">None in this period.</p>
        ) : (
          <ul className="breaches" data-testid="breaches">
            {report.breaches.map((b) => (
              <li key={`${b.issue_id}-${b.clock}`}>
                <button className="link-button" onClick={() => onOpenIssue(b.issue_id)}>
                  <span className="issue-key">{b.key}</span> {b.title}
                </button>{" "}
                <span className="muted">
                  · {b.client_name} · {b.clock} due {dateTime(b.due_at)}
                  {b.met_at ? `, done ${dateTime(b.met_at)}` : ", still not done"}
                </span>
              </li>
            ))}
          </ul>
        )}
        {report.breaches_total > report.breaches.length && (
          <p className="muted">
            The earliest {report.breaches.length} of {grouped(report.breaches_total)} are listed.{" "}
            <button className="link-button" onClick={() => open("breached")}>
              Show all {grouped(report.breaches_total)} in the queue
            </button>
          </p>
        )}
      </section>
      <GroupTable title="By client" groups={report.by_client} onOpen={(g, m) => open(m, { client_id: g.key }, g.label)} />
      <GroupTable title="By category" groups={report.by_category} onOpen={(g, m) => open(m, { category: g.key }, g.label)} />
      {report.by_agent.length > 0 && <GroupTable title="By agent (who logged the issue)" groups={report.by_agent} onOpen={(g, m) => open(m, { agent: g.key }, g.label)} />}
    </div>
  );
}

function Tile(props: { title: string; value: string; detail: string; definition: string; onClick: () => void }) {
  return (
    <button className="card tile" onClick={props.onClick} title="Show these issues in the queue">
      <span className="tile-title">{props.title}</span>
      <span className="tile-value">{props.value}</span>
      <span className="tile-detail">{props.detail}</span>
      <span className="tile-definition">{props.definition}</span>
    </button>
  );
}

function GroupTable({ title, groups, onOpen }: { title: string; groups: GroupFigures[]; onOpen: (g: GroupFigures, m: Measure) => void }) {
  const cell = (g: GroupFigures, m: Measure, n: number) =>
    n === 0 ? (
      <span className="faint">0</span>
    ) : (
      <button className="link-button" onClick={() => onOpen(g, m)}>
        {grouped(n)}
      </button>
    );
  return (
    <section className="card" aria-label={title}>
      <div className="card-head">
        <h2>{title}</h2>
      </div>
      <table className="table report-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">Logged</th>
            <th scope="col">Escalated</th>
            <th scope="col">Escalation rate</th>
            <th scope="col">Resolved</th>
            <th scope="col">At first line</th>
            <th scope="col">First-contact resolution</th>
            <th scope="col">SLA met</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key}>
              <th scope="row">{g.label}</th>
              <td>{cell(g, "logged", g.figures.logged)}</td>
              <td>{cell(g, "escalated", g.figures.escalated)}</td>
              <td>{percent(g.figures.escalation_rate)}</td>
              <td>{cell(g, "resolved", g.figures.resolved)}</td>
              <td>{cell(g, "first_line", g.figures.first_line)}</td>
              <td>{percent(g.figures.first_contact_rate)}</td>
              <td>{percent(g.figures.sla_rate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "median · 9 in 10 within 2 h", or what to say when nothing was measured. */
function spreadWords(s: Spread, none: string): string {
  return s.count === 0 ? none : `median of ${grouped(s.count)} · 9 in 10 within ${duration(s.p90_minutes)}`;
}

const count = (v: number | null) => (v === null ? "—" : grouped(v));

/** The charts of a report: trends per week, then bars per client, rung and age. */
function chartsOf(report: Report, onOpenSlice: OpenSlice): ChartSpec[] {
  const { period, weeks } = report;
  const weekLabels = weeks.map((w) => day(w.start));
  const pick = (measure: Measure, patch: Partial<ReportSlice>, words: string) =>
    onOpenSlice(slice(period, measure, patch), sliceLabel(measure, [words, span(report.from, report.to)]));
  const rates: [string, (f: Figures) => number | null, string, Measure][] = [
    ["First-contact resolution", (f) => f.first_contact_rate, "--ok", "first_line"],
    ["Escalation rate", (f) => f.escalation_rate, "--warn", "logged"],
    ["Vendor SLA met", (f) => f.sla_rate, "--accent", "escalated"],
  ];
  const described = (label: string, values: (number | null)[], fmt: (v: number | null) => string, names: string[]) =>
    `${label}: ${values.map((v, i) => `${names[i]} ${fmt(v)}`).join(", ")}.`;
  const arrivedAt = performance.now();
  const clients = report.by_client.slice(0, 10);
  const categories = report.by_category.filter((c) => c.figures.escalated > 0);
  return [
    {
      kind: "line",
      title: "Week by week",
      summary: rates.map(([label, of]) => described(label, weeks.map((w) => of(w.figures)), percent, weekLabels)).join(" "),
      labels: weekLabels,
      series: rates.map(([label, of, color]) => ({ label, values: weeks.map((w) => of(w.figures)), color })),
      percent: true,
      format: percent,
      onPick: (i, s) => pick(rates[s][3], { week: weeks[i].start }, `week of ${weekLabels[i]}`),
      fileName: "week-by-week.png",
      arrivedAt,
    },
    {
      kind: "bar",
      title: "Logged and escalated per week",
      summary: described("Logged", weeks.map((w) => w.figures.logged), count, weekLabels),
      labels: weekLabels,
      series: [
        { label: "Logged", values: weeks.map((w) => w.figures.logged), color: "--p4" },
        { label: "Escalated", values: weeks.map((w) => w.figures.escalated), color: "--p2" },
        { label: "Resolved at first line", values: weeks.map((w) => w.figures.first_line), color: "--ok" },
      ],
      format: count,
      onPick: (i, s) => pick((["logged", "escalated", "first_line"] as Measure[])[s], { week: weeks[i].start }, `week of ${weekLabels[i]}`),
      fileName: "per-week.png",
      arrivedAt,
    },
    {
      kind: "bar",
      title: "Clients with the most issues",
      summary: described("Logged", clients.map((c) => c.figures.logged), count, clients.map((c) => c.label)),
      labels: clients.map((c) => c.label),
      series: [
        { label: "Logged", values: clients.map((c) => c.figures.logged), color: "--p3" },
        { label: "Escalated", values: clients.map((c) => c.figures.escalated), color: "--p2" },
      ],
      horizontal: true,
      format: count,
      onPick: (i, s) => pick(s === 0 ? "logged" : "escalated", { client_id: clients[i].key }, clients[i].label),
      fileName: "clients.png",
      arrivedAt,
    },
    {
      kind: "bar",
      title: "Escalations by category",
      summary: described("Escalated", categories.map((c) => c.figures.escalated), count, categories.map((c) => c.label)),
      labels: categories.map((c) => c.label),
      series: [{ label: "Escalated", values: categories.map((c) => c.figures.escalated), color: "--p2" }],
      horizontal: true,
      format: count,
      onPick: (i) => pick("escalated", { category: categories[i].key }, categories[i].label),
      fileName: "categories.png",
      arrivedAt,
    },
    {
      kind: "bar",
      title: "Escalations by highest rung reached",
      summary: described("Escalations", report.by_rung.map((r) => r.count), count, report.by_rung.map((r) => r.label)),
      labels: report.by_rung.map((r) => r.label),
      series: [{ label: "Escalations", values: report.by_rung.map((r) => r.count), color: "--p1" }],
      horizontal: true,
      format: count,
      onPick: (i) => pick("escalated", { rung: Number(report.by_rung[i].key) }, report.by_rung[i].label),
      fileName: "rungs.png",
      arrivedAt,
    },
    {
      kind: "bar",
      title: "Open now, by age",
      summary: described("Open", report.backlog.map((b) => b.count), count, report.backlog.map((b) => b.label)),
      labels: report.backlog.map((b) => b.label),
      series: [{ label: "Open issues", values: report.backlog.map((b) => b.count), color: "--p3" }],
      format: count,
      onPick: (i) => pick("open", { age: report.backlog[i].key }, report.backlog[i].label),
      fileName: "backlog.png",
      arrivedAt,
    },
  ];
}
