/// <reference types="vite/client" />
// The protocol fixtures shared with the Python tests (tests/fixtures/protocol/*.json).

const modules = import.meta.glob("../../tests/fixtures/protocol/*.json", {
  eager: true,
  import: "default",
});

/** Every fixture, by file name. */
export const fixtures: Record<string, unknown> = Object.fromEntries(
  Object.entries(modules).map(([path, value]) => [path.split("/").pop() as string, value]),
);

/** A fresh deep copy of one fixture (renderers keep and mutate what they are given). */
export function fixture<T = unknown>(name: string): T {
  if (!(name in fixtures)) throw new Error(`no fixture ${name}`);
  return JSON.parse(JSON.stringify(fixtures[name])) as T;
}
