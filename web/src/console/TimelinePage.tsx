import { formatTime } from "../money";
import type { Timeline } from "../types";
import { ErrorNote, Loading } from "../ui/bits";
import { useApi } from "../ui/useApi";
import { layoutTimeline, type Node } from "./timelineLayout";

const LANE_WIDTH = 210;
const ROW_HEIGHT = 56;
const TOP = 48;
const NODE_WIDTH = 180;
const NODE_HEIGHT = 36;

export function TimelinePage({ orderId }: { orderId: string }) {
  const timeline = useApi<Timeline>(`/audit/orders/${encodeURIComponent(orderId)}/timeline`);
  if (!timeline.data) {
    return timeline.error ? <ErrorNote message={timeline.error} /> : <Loading what="the timeline" />;
  }
  const { lanes, nodes, arrows } = layoutTimeline(timeline.data.events);
  const width = Math.max(1, lanes.length) * LANE_WIDTH;
  const height = TOP + Math.max(1, nodes.length) * ROW_HEIGHT;
  const center = (node: Node) => ({
    x: node.lane * LANE_WIDTH + LANE_WIDTH / 2,
    y: TOP + node.row * ROW_HEIGHT + NODE_HEIGHT / 2,
  });
  return (
    <section aria-labelledby="timeline-heading">
      <h1 id="timeline-heading">Order {orderId.slice(0, 8)} across services</h1>
      <p className="muted">
        {nodes.length} events in causal order; an arrow goes from an event to the one it caused.
        {timeline.data.truncated ? " Only the first events are shown." : ""}
      </p>
      {nodes.length === 0 ? <p>The audit log has no event of this order yet.</p> : null}
      <div className="timeline-frame">
        <svg
          role="img"
          aria-labelledby="timeline-title timeline-desc"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          className="timeline"
        >
          <title id="timeline-title">Timeline of order {orderId}</title>
          <desc id="timeline-desc">
            {nodes.map((node) => `${node.event.type} by ${node.event.source}`).join(", then ")}
          </desc>
          <defs>
            <marker id="arrow-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
            </marker>
          </defs>
          {lanes.map((lane, index) => (
            <g key={lane}>
              <line
                x1={index * LANE_WIDTH + LANE_WIDTH / 2}
                x2={index * LANE_WIDTH + LANE_WIDTH / 2}
                y1={TOP - 8}
                y2={height}
                className="lane-line"
              />
              <text x={index * LANE_WIDTH + LANE_WIDTH / 2} y={24} textAnchor="middle" className="lane-name">
                {lane}
              </text>
            </g>
          ))}
          {arrows.map(({ from, to }) => {
            const start = center(from);
            const end = center(to);
            return (
              <path
                key={`${from.event.id}-${to.event.id}`}
                d={`M${start.x},${start.y + NODE_HEIGHT / 2} C${start.x},${end.y} ${end.x},${start.y + NODE_HEIGHT} ${end.x},${end.y - NODE_HEIGHT / 2}`}
                className="arrow"
                markerEnd="url(#arrow-head)"
              />
            );
          })}
          {nodes.map((node) => {
            const { x, y } = center(node);
            return (
              <g key={node.event.id} className="event" data-event-type={node.event.type}>
                <rect x={x - NODE_WIDTH / 2} y={y - NODE_HEIGHT / 2} width={NODE_WIDTH} height={NODE_HEIGHT} rx={6} />
                <text x={x} y={y - 2} textAnchor="middle" className="event-type">
                  {node.event.type}
                </text>
                <text x={x} y={y + 12} textAnchor="middle" className="event-time">
                  {new Date(node.event.time).toLocaleTimeString()}
                </text>
                <title>{`${node.event.type} from ${node.event.source} at ${formatTime(node.event.time)}`}</title>
              </g>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
