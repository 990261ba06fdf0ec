import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
    // A test that writes to console.error or console.warn fails (see test/setup.ts).
    setupFiles: ["test/setup.ts"],
  },
});
