// Where each event of an order's timeline goes in the picture: one lane
// (column) per service that published events, one row per event in the
// order the audit log gives (causes before effects), and an arrow from
// each event to the events it caused.

import type { AuditEvent } from "../types";

export type Node = { event: AuditEvent; lane: number; row: number };
export type Arrow = { from: Node; to: Node };
export type Layout = { lanes: string[]; nodes: Node[]; arrows: Arrow[] };

export function layoutTimeline(events: AuditEvent[]): Layout {
  const lanes: string[] = [];
  const nodes = events.map((event, row) => {
    const service = serviceOf(event.source);
    let lane = lanes.indexOf(service);
    if (lane < 0) lane = lanes.push(service) - 1;
    return { event, lane, row };
  });
  const byId = new Map(nodes.map((node) => [node.event.id, node]));
  const arrows = nodes.flatMap((node) => {
    const cause = node.event.causation_id ? byId.get(node.event.causation_id) : undefined;
    return cause ? [{ from: cause, to: node }] : [];
  });
  return { lanes, nodes, arrows };
}

/** "bazaar.orders" is the orders service: events' sources name the service. */
function serviceOf(source: string): string {
  return source.replace(/^bazaar\./, "");
}
