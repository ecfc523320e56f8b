import { expect, test } from "@playwright/test";

const admin = { email: "admin@demo.koppel.test", password: "demo-wachtwoord" };

test("the demo admin signs in through the UI and sees the role-aware home page", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Inloggen bij Koppel" })).toBeVisible();

  await page.getByLabel("E-mailadres").fill(admin.email);
  await page.getByLabel("Wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Inloggen" }).click();

  await expect(page.getByRole("heading", { name: "Welkom, Beheerder Demo" })).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("Beheerder");
  await page.screenshot({ path: "artifacts/home-admin-nl.png", fullPage: true });
  await page.getByRole("link", { name: /Opleidingsinstituten/ }).click();
  await expect(page.getByRole("listitem").filter({ hasText: "Huisartsopleiding Demo" })).toBeVisible();
  await page.getByRole("link", { name: "Koppel" }).click();

  // English is one click away and remembered across reloads.
  // Remembered for the user: the switch saves the language on the server.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/me") && r.request().method() === "PATCH" && r.ok()),
    page.getByRole("button", { name: "Switch to English" }).click(),
  ]);
  await expect(page.getByRole("heading", { name: "Welcome, Beheerder Demo" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.reload();
  await expect(page.getByTestId("role")).toHaveText("Administrator");
  await page.screenshot({ path: "artifacts/home-admin-en.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Sign in to Koppel" })).toBeVisible();
  expect(consoleErrors).toEqual([]);
});

test("a wrong password shows the API's message and keeps the user on the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(admin.email);
  await page.getByLabel("Wachtwoord").fill("niet het wachtwoord");
  await page.getByRole("button", { name: "Inloggen" }).click();
  await expect(page.getByRole("alert")).toHaveText("Het e-mailadres of wachtwoord klopt niet.");
  await expect(page).toHaveURL(/\/login$/);
  await page.screenshot({ path: "artifacts/login-error.png" });
});

test("an expired access token is refreshed transparently", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill("a-team@demo.koppel.test");
  await page.getByLabel("Wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await expect(page.getByTestId("role")).toHaveText("A-team (aioscoördinatie)");

  // Spoil the access token: the next API call gets 401, refreshes once and succeeds.
  const before = await page.evaluate(() => {
    const tokens = JSON.parse(localStorage.getItem("koppel.tokens") ?? "{}");
    const refresh = tokens.refresh_token;
    tokens.access_token = "expired.token.value";
    localStorage.setItem("koppel.tokens", JSON.stringify(tokens));
    return refresh;
  });
  await page.reload();
  await expect(page.getByRole("heading", { name: /Welkom, Anna de Vries/ })).toBeVisible();
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem("koppel.tokens") ?? "{}").refresh_token);
  expect(after).not.toEqual(before);
});

test("deep links load the app, which shows its own not-found page", async ({ page }) => {
  await page.goto("/this/does/not/exist");
  await expect(page.getByRole("heading", { name: "Pagina niet gevonden" })).toBeVisible();
});

test("at phone width the sign-in form fits without horizontal scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Inloggen" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "artifacts/login-phone.png" });
});
