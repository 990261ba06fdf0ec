// Runtime checks of decoded messages against the generated protocol types (protocol.ts, which
// holds types and constants only: it is generated from pywebio_nb/_core/protocol.py).

import type { Command, NodeSpec, SnapshotMessage } from "./protocol";

/** Every command op; typed so that an op added to or removed from `Command` fails to compile. */
const OPS: Record<Command["op"], true> = {
  put: true,
  remove: true,
  clear: true,
  scroll: true,
  update: true,
  append: true,
  progress: true,
  rows: true,
  rows_changed: true,
};
const OP_NAMES = new Set<string>(Object.keys(OPS));

/** Checks the shape of a decoded command; the renderer never trusts a message blindly. */
export function isCommand(value: unknown): value is Command {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  if (typeof c.op !== "string" || !OP_NAMES.has(c.op)) return false;
  if (c.op === "put") {
    return typeof c.parent === "number" && typeof c.index === "number" && isNode(c.node);
  }
  return typeof c.id === "number";
}

/** Checks a decoded node: a `type`, and an `id` unless it is an empty slot. */
export function isNode(value: unknown): value is NodeSpec {
  if (typeof value !== "object" || value === null) return false;
  const n = value as Record<string, unknown>;
  return typeof n.type === "string" && (n.type === "empty" || typeof n.id === "number");
}

/** Checks a decoded snapshot (its version is the caller's to compare). */
export function isSnapshot(value: unknown): value is SnapshotMessage {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return s.kind === "snapshot" && typeof s.seq === "number" && isNode(s.root);
}
