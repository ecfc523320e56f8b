// Helpers shared by the browser tests.
import AxeBuilder from "@axe-core/playwright";
import { Page, expect } from "@playwright/test";
import { createHmac } from "node:crypto";
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

/** The demo administrator, who signs in with a second factor (see seed.rs). */
export const DEMO_ADMIN = "admin@demo.koppel.test";
export const DEMO_ADMIN_TOTP_SECRET = "KOPPELDEMOADMINTOTPSECRETA234567";

/** The current 30-second step of RFC 6238. */
export const currentStep = () => Math.floor(Date.now() / 30_000);

/** The code an authenticator app shows for a base32 secret at a step (HMAC-SHA1, 6 digits). */
export function totp(secret: string, step: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secret.replace(/[\s=]/g, "").toUpperCase()].map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0")).join("");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = digest[19] & 15;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

/** A code of the demo administrator that no earlier sign-in used: the server takes each step
 * once, and the current one and one either side; a third sign-in within one step waits for the
 * next. */
let lastAdminStep = 0;
export async function adminCode(): Promise<string> {
  for (;;) {
    const now = currentStep();
    // Not the previous step: the server's step may move on before it checks the code.
    const step = Math.max(now, lastAdminStep + 1);
    if (step <= now + 1) {
      lastAdminStep = step;
      return totp(DEMO_ADMIN_TOTP_SECRET, step);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The sign-in page's second step: the code of the authenticator app. */
export async function enterCode(page: Page, code: string) {
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Inloggen" }).click();
}

/** Signs in through the sign-in page (the demo administrator with a code) and waits for the
 * home page. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill(password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  if (email === DEMO_ADMIN) await enterCode(page, await adminCode());
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
