// Browser tests of Koppel. Playwright drives Debian's Chromium (never a downloaded browser)
// against a fresh server on its own port and SQLite database, seeded with the demo institute.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = process.env.KOPPEL_BIN ?? "../target/debug/koppel";
const spaDir = process.env.KOPPEL_SPA_DIR ?? "../frontend/dist";
const port = Number(process.env.KOPPEL_E2E_PORT ?? 18080);
// Workers load this file again: they inherit the main process's folder through the environment.
const dataDir = (process.env.KOPPEL_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "koppel-e2e-")));
const databaseUrl = `sqlite://${dataDir}/e2e.db?mode=rwc`;
// Mails leave over SMTP to `koppel mail-sink`, which writes each to this folder: one-time links
// exist only in sent mails, never in the outbox. The tests read them with `sentMails()`.
const mailPort = port + 1;
const mailDir = join(dataDir, "mail");
process.env.KOPPEL_E2E_MAIL_DIR = mailDir;

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "nl-NL",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `exec "${bin}" mail-sink --bind 127.0.0.1:${mailPort} --folder "${mailDir}"`,
      port: mailPort,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      command: `"${bin}" seed-demo && exec "${bin}" serve`,
      url: `http://127.0.0.1:${port}/api/v1/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        KOPPEL_DATABASE_URL: databaseUrl,
        KOPPEL_BIND: `127.0.0.1:${port}`,
        KOPPEL_SPA_DIR: spaDir,
        KOPPEL_JWT_SECRET: "e2e-secret-0123456789abcdef0123456789",
        KOPPEL_SMTP_URL: `smtp://127.0.0.1:${mailPort}`,
        KOPPEL_MAIL_POLL_MS: "200",
        // The rounds' calendars run at start and then daily here, so no step of a test's round
        // opens by date halfway through the run (the API tests drive the calendar's clock).
        KOPPEL_CALENDAR_TICK_MS: "86400000",
        KOPPEL_PUBLIC_URL: `http://127.0.0.1:${port}`,
        RUST_LOG: "warn",
      },
    },
  ],
});
