// Every test file: a test that writes to console.error or console.warn fails, unless it
// silences the console itself (vi.spyOn(console, "error").mockImplementation(...)) because
// the message is what it expects. jsdom reports what it cannot do ("Not implemented:
// window.alert", a stylesheet it cannot parse) through console.error, so a passing run
// prints no stack traces, and nothing a renderer logs goes unnoticed.
import { afterEach, beforeEach, expect } from "vitest";

const original = { error: console.error, warn: console.warn };
const written: string[] = [];
let inTest = false;

function guard(level: "error" | "warn"): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    if (!inTest) {
      original[level](...args); // between tests: nothing to fail, so show it
      return;
    }
    const text = args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(" ");
    written.push(`console.${level}: ${text.split("\n")[0]}`);
  };
}

console.error = guard("error");
console.warn = guard("warn");

beforeEach(() => {
  written.length = 0;
  inTest = true;
});

afterEach(() => {
  inTest = false;
  const seen = written.splice(0);
  expect(seen, "the test wrote to the console").toEqual([]);
});
