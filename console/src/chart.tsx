// Charts as inline SVG (no chart library): a bar per day. The SVG is an image with a text alternative, and the
// same numbers are in a table next to it, so a screen reader loses nothing.
export interface Point {
  label: string;
  value: number;
}

export function BarChart(props: { title: string; points: Point[]; unit?: string }) {
  const { points } = props;
  const w = 600;
  const h = 160;
  const pad = 24;
  const max = Math.max(0, ...points.map((p) => p.value));
  const step = points.length > 0 ? (w - pad) / points.length : 0;
  const total = points.reduce((s, p) => s + p.value, 0);
  const alt = `${props.title}: ${points.length} days, total ${round(total)}${props.unit ? ` ${props.unit}` : ''}, highest ${round(max)}.`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${w} ${h + 18}`} role="img" aria-label={alt}>
        <title>{alt}</title>
        <line x1={pad} y1={h} x2={w} y2={h} class="axis" />
        {points.map((p, i) => {
          const bh = max > 0 ? Math.max(p.value > 0 ? 1 : 0, (p.value / max) * (h - 10)) : 0;
          return (
            <rect key={p.label} x={pad + i * step + 1} y={h - bh} width={Math.max(1, step - 2)} height={bh} class="bar">
              <title>{`${p.label}: ${round(p.value)}`}</title>
            </rect>
          );
        })}
        <text x={pad - 4} y={12} class="tick" text-anchor="end">
          {round(max)}
        </text>
        <text x={pad - 4} y={h} class="tick" text-anchor="end">
          0
        </text>
        {points.length > 0 ? (
          <>
            <text x={pad} y={h + 14} class="tick">
              {points[0].label}
            </text>
            <text x={w} y={h + 14} class="tick" text-anchor="end">
              {points[points.length - 1].label}
            </text>
          </>
        ) : null}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
