// Helpers shared by the browser tests.
import AxeBuilder from "@axe-core/playwright";
import { Page, expect } from "@playwright/test";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** A mail as the e2e server sent it, read from the `koppel mail-sink` folder. */
export interface SentMail {
  recipients: string[];
  subject: string;
  body: string;
}

/** Every mail the server has sent so far, oldest first. One-time links exist only here: the
 * outbox shows a placeholder. */
export function sentMails(): SentMail[] {
  const folder = process.env.KOPPEL_E2E_MAIL_DIR;
  if (!folder) throw new Error("KOPPEL_E2E_MAIL_DIR is not set (see playwright.config.ts)");
  return readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(join(folder, name), "utf8")) as SentMail);
}

/** The newest sent mail to `email` whose body matches `pattern`, waiting for it to leave. */
export async function sentMail(email: string, pattern: RegExp): Promise<SentMail> {
  let found: SentMail | undefined;
  await expect
    .poll(() => {
      found = sentMails()
        .reverse()
        .find((mail) => mail.recipients.includes(email) && pattern.test(mail.body));
      return found !== undefined;
    }, { message: `a mail to ${email} matching ${pattern}`, timeout: 20_000 })
    .toBe(true);
  return found!;
}

/** The one-time link (`/activate` or `/reset`, as a path) in the newest such mail to `email`. */
export async function mailLink(email: string, path = "/activate"): Promise<string> {
  const pattern = new RegExp(`${path}\\?token=[A-Za-z0-9_-]+`);
  const mail = await sentMail(email, pattern);
  return mail.body.match(pattern)![0];
}

/** Password of the demo accounts. */
export const DEMO_PASSWORD = "demo-wachtwoord";
/** Password chosen by accounts the tests activate. */
export const PASSWORD = "een-lang-wachtwoord-voor-e2e";

/** No WCAG 2.1 A/AA violation (labels, contrast, landmarks, ...) that axe-core can find. */
export async function accessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(found, `accessibility of ${what}`).toEqual([]);
}

/** At 375 px wide the page fits without scrolling sideways (tables scroll inside their box). */
export async function fitsPhone(page: Page, what: string, screenshot: string) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} at 375 px`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `artifacts/${screenshot}`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

/** Signs in through the sign-in page and waits for the home page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await expect(page.getByRole("heading", { name: /^Welkom, / })).toBeVisible();
}

/**
 * Clicks a button whose action cannot be undone: the browser asks first, the question must name
 * the consequence, and the test answers it (`accept` false: cancel, and nothing may happen).
 */
export async function clickAndConfirm(page: Page, button: string, question: RegExp, accept = true) {
  const dialog = page.waitForEvent("dialog");
  const click = page.getByRole("button", { name: button, exact: true }).click();
  const asked = await dialog;
  expect(asked.type()).toBe("confirm");
  expect(asked.message()).toMatch(question);
  await (accept ? asked.accept() : asked.dismiss());
  await click;
}
