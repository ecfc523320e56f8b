import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { accessible, adminCode, currentStep, enterCode, signIn, totp } from "./support";

const admin = { email: "admin@demo.koppel.test", password: "demo-wachtwoord" };

test("the demo admin signs in through the UI and sees the role-aware home page", async ({ page }) => {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    // The sign-in's first step is answered 401 `second_factor_required` by design; the browser
    // logs every 4xx answer.
    const expected = message.location().url.endsWith("/api/v1/auth/login") && message.text().includes("401");
    if (message.type() === "error" && !expected) consoleErrors.push(message.text());
  });

  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "Inloggen bij Koppel" })).toBeVisible();

  await page.getByLabel("E-mailadres").fill(admin.email);
  await page.getByLabel("Wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  // Administrators sign in with a second factor: the page asks for the app's code.
  await expect(page.getByText("Je account gebruikt tweestapsverificatie.")).toBeVisible();
  await page.screenshot({ path: "artifacts/login-code.png" });
  await enterCode(page, await adminCode());

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

test("no script can read a token, and a reload resumes the sign-in from the HttpOnly cookie", async ({ page, context }) => {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill("a-team@demo.koppel.test");
  await page.getByLabel("Wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await expect(page.getByTestId("role")).toHaveText("A-team (aioscoördinatie)");

  // Nothing in storage or in document.cookie; the refresh token is in an HttpOnly cookie that only
  // /api/v1/auth receives.
  const visible = await page.evaluate(() => ({ storage: JSON.stringify(localStorage) + JSON.stringify(sessionStorage), cookies: document.cookie }));
  expect(visible.storage).not.toContain("token");
  expect(visible.cookies).not.toContain("koppel_refresh");
  const cookie = (await context.cookies()).find((c) => c.name === "koppel_refresh");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Strict");
  expect(cookie?.path).toBe("/api/v1/auth");

  // A new page load has no access token: it refreshes once from the cookie and carries on.
  await page.reload();
  await expect(page.getByRole("heading", { name: /Welkom, Anna de Vries/ })).toBeVisible();
  const rotated = (await context.cookies()).find((c) => c.name === "koppel_refresh");
  expect(rotated?.value).not.toEqual(cookie?.value);

  // Signing out clears it: a reload shows the sign-in page.
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await context.cookies()).find((c) => c.name === "koppel_refresh")).toBeUndefined();
  await page.reload();
  await expect(page).toHaveURL(/\/login$/);
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

test("a user changes their password on the account page; their other sign-ins end", async ({ page, browser }) => {
  const user = { email: "opleider@demo.koppel.test", password: admin.password };
  const newPassword = "een heel nieuw wachtwoord";
  // A second device, signed in before the change.
  const other = await browser.newPage();
  await other.goto("/login");
  await other.getByLabel("E-mailadres").fill(user.email);
  await other.getByLabel("Wachtwoord").fill(user.password);
  await other.getByRole("button", { name: "Inloggen" }).click();
  await expect(other.getByRole("heading", { name: /^Welkom, / })).toBeVisible();

  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(user.email);
  await page.getByLabel("Wachtwoord").fill(user.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.getByRole("link", { name: "Mijn account" }).click();
  await page.getByLabel("Huidig wachtwoord").fill("niet mijn wachtwoord");
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(newPassword);
  await page.getByLabel("Herhaal nieuw wachtwoord").fill(newPassword);
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await expect(page.locator("#current_password-error")).toBeVisible();
  await page.getByLabel("Huidig wachtwoord").fill(user.password);
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await expect(page.getByTestId("password-changed")).toHaveText("Je wachtwoord is gewijzigd.");
  await page.screenshot({ path: "artifacts/account-password.png", fullPage: true });

  // The other device is signed out at its next step; this one carries on.
  await other.reload();
  await expect(other).toHaveURL(/\/login$/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Mijn account" })).toBeVisible();

  // Back to the demo password, for the other tests.
  await page.getByLabel("Huidig wachtwoord").fill(newPassword);
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(user.password);
  await page.getByLabel("Herhaal nieuw wachtwoord").fill(user.password);
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await expect(page.getByTestId("password-changed")).toBeVisible();
  await other.close();
});

test("a coordinator turns on two-step verification, signs out, and signs in with a code", async ({ page, request }) => {
  const email = "o-team@demo.koppel.test";
  await signIn(page, email, admin.password);
  await page.getByRole("link", { name: "Mijn account" }).click();
  await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
  // The QR code is drawn by Koppel itself (a data URL, nothing fetched elsewhere), beside the key.
  const qr = page.getByRole("img", { name: /QR-code/ });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.screenshot({ path: "artifacts/account-two-factor-enrol.png", fullPage: true });
  await accessible(page, "the two-step enrolment");

  const confirmedStep = currentStep();
  await page.getByLabel("Code uit de app").fill(totp(secret, confirmedStep));
  await page.getByRole("button", { name: "Bevestigen" }).click();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await expect(page.getByText("Aan: bij het inloggen vragen we ook een code")).toBeVisible();
  await page.screenshot({ path: "artifacts/account-two-factor-on.png", fullPage: true });

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(admin.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  // A wrong code is refused with a clear message; the app's next code signs in.
  const step = Math.max(currentStep(), confirmedStep + 1);
  const right = totp(secret, step);
  await enterCode(page, String((Number(right) + 1) % 1_000_000).padStart(6, "0"));
  await expect(page.getByRole("alert")).toContainText("Deze code klopt niet");
  await enterCode(page, right);
  await expect(page.getByRole("heading", { name: /^Welkom, / })).toBeVisible();

  // Off again (coordinators of the demo institute do not have to use it).
  await page.getByRole("link", { name: "Mijn account" }).click();
  await page.getByLabel("Wachtwoord, om uit te zetten").fill(admin.password);
  await page.getByRole("button", { name: "Tweestapsverificatie uitzetten" }).click();
  await expect(page.getByText("Uit: inloggen vraagt alleen je wachtwoord.")).toBeVisible();

  // Their own data, as a download.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Mijn gegevens downloaden" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("koppel-mijn-gegevens.json");
  const data = JSON.parse(readFileSync(await download.path(), "utf8"));
  expect(data.account.email).toBe(email);

  // A private calendar feed for their calendar app, with the demo round's deadlines; revocable.
  await page.getByRole("button", { name: "Agenda-link maken" }).click();
  const link = await page.getByTestId("calendar-url").inputValue();
  expect(link).toMatch(/\/api\/v1\/me\/calendar\.ics\?key=[A-Za-z0-9_-]{43}$/);
  const feed = await request.get(link);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  const calendar = await feed.text();
  expect(calendar).toContain("BEGIN:VCALENDAR");
  // Unfolded, with the escaped comma of iCalendar text.
  expect(calendar.replace(/\r\n /g, "")).toContain("deadline stap 2\\, voorkeuren");
  await page.screenshot({ path: "artifacts/account-calendar.png", fullPage: true });
  await accessible(page, "the account page with a calendar link");
  await page.getByRole("button", { name: "Agenda-link intrekken" }).click();
  await expect(page.getByRole("button", { name: "Agenda-link maken" })).toBeVisible();
  expect((await request.get(link)).status()).toBe(404);
});
