// The shapes of the API answers this app reads (the services' OpenAPI).

export type Page<T> = { items: T[]; next_cursor: string | null };

export type Product = {
  sku: string;
  name: string;
  description: string;
  price: { amount_minor: number; currency: string };
  available: number;
  updated_at: string;
};

export type Stock = { sku: string; available: number; reserved: number; sold: number; received: number };

export type OrderStatus = "PENDING" | "CONFIRMED" | "CANCELLED";

export type Order = {
  id: string;
  customer_id: string;
  status: OrderStatus;
  step: "reserving-stock" | "capturing-payment" | null;
  cancel_reason: string | null;
  lines: { sku: string; quantity: number; unit_price_minor: number }[];
  total_minor: number;
  currency: string;
  created_at: string;
  updated_at: string;
};

export type OrderHistory = {
  order_id: string;
  customer_id: string | null;
  state: string;
  lines: { sku: string; quantity: number; unit_price_minor: number }[] | null;
  total_minor: number | null;
  currency: string | null;
  placed_at: string | null;
  confirmed_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  payment: { state: string; payment_id: string | null; amount_minor: number | null; decline_reason: string | null } | null;
  shipment: { shipment_id: string; created_at: string } | null;
};

export type AuditEvent = {
  id: string;
  type: string;
  source: string;
  subject: string;
  time: string;
  causation_id: string | null;
  data: Record<string, unknown>;
};

export type Timeline = { order_id: string; events: AuditEvent[]; truncated: boolean };
