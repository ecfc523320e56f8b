import { expect, test, type Page } from "@playwright/test";
import { mkdirSync, writeFileSync } from "node:fs";
import { DEMO_PASSWORD, signIn } from "./support";

/** Milliseconds from the start of navigation until the sign-in heading is on screen. */
async function signInRendered(page: Page): Promise<number> {
  await page.goto("/login");
  const handle = await page.waitForFunction(
    () => {
      const heading = document.querySelector("h1");
      return heading?.textContent?.includes("Inloggen") ? performance.now() : null;
    },
    null,
    { polling: "raf" },
  );
  return Number(await handle.jsonValue());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test("the sign-in page renders from the participants' build, sent gzipped and kept for a year (first render reported)", async ({ browser }) => {
  const cold: number[] = [];
  const warm: number[] = [];
  const wasm: { url: string; headers: Record<string, string> }[] = [];
  for (let run = 0; run < 3; run++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const reading: Promise<void>[] = [];
    page.on("response", (response) => {
      if (!response.url().endsWith(".wasm")) return;
      reading.push(response.allHeaders().then((headers) => void wasm.push({ url: response.url(), headers })));
    });
    cold.push(await signInRendered(page));
    warm.push(await signInRendered(page));
    await Promise.all(reading);
    await context.close();
  }
  // Only the participants' build, as built: gzipped, fingerprinted, immutable.
  expect(wasm.length).toBeGreaterThan(0);
  for (const response of wasm) {
    expect(response.url).toMatch(/\/koppel-participant_bg\.[0-9a-f]{16}\.wasm$/);
    expect(response.headers["content-encoding"]).toBe("gzip");
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
  }
  const report = {
    measured: "navigation start to the sign-in heading on screen, headless Chromium, median of 3",
    cold_ms: Math.round(median(cold)),
    warm_ms: Math.round(median(warm)),
    cold_runs_ms: cold.map(Math.round),
    warm_runs_ms: warm.map(Math.round),
  };
  console.log(`first render of the sign-in page: ${JSON.stringify(report)}`);
  mkdirSync("artifacts", { recursive: true });
  writeFileSync("artifacts/first-render.json", `${JSON.stringify(report, null, 2)}\n`);
});

test("a coordinator's browser switches to the coordinators' build at sign-in and keeps it; a trainee's switches back", async ({ page }) => {
  const builds: string[] = [];
  page.on("response", (response) => {
    const build = /\/koppel-([a-z]+)_bg\.[0-9a-f]{16}\.wasm$/.exec(response.url())?.[1];
    if (build) builds.push(build);
  });
  // Signing in on the participants' build reloads the page in the coordinators' build.
  await signIn(page, "a-team@demo.koppel.test", DEMO_PASSWORD);
  expect(builds).toEqual(["participant", "coordinator"]);
  await page.getByRole("link", { name: /Koppelingsrondes/ }).click();
  await expect(page.getByRole("heading", { name: "Koppelingsrondes" })).toBeVisible();

  // From now on the coordinators' build loads at once, also for a deep link.
  builds.length = 0;
  await page.goto("/admin/rounds");
  await expect(page.getByRole("heading", { name: "Koppelingsrondes" })).toBeVisible();
  expect(builds).toEqual(["coordinator"]);
  // A participants' page is not for a coordinator: not found, and no reloading back and forth.
  await page.goto("/profile");
  await expect(page.getByRole("heading", { name: "Pagina niet gevonden" })).toBeVisible();
  expect(builds).toEqual(["coordinator", "coordinator"]);

  // A trainee signing in on the same browser gets the participants' build back.
  await page.goto("/");
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await expect(page).toHaveURL(/\/login$/);
  builds.length = 0;
  await signIn(page, "aios@demo.koppel.test", DEMO_PASSWORD);
  await expect(page.getByTestId("role")).toHaveText("Aios");
  expect(builds).toEqual(["coordinator", "participant"]);
});
