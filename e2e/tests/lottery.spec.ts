// The national placement lottery through the browser: the administrator sets up a lottery,
// imports candidates (a bad row first), commits, draws, reads the report and runs the
// equal-chance simulation; a candidate activates from the outcome mail, sees their lottery
// number and accepts the second-chance offer.
import { Page, expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PASSWORD, SentMail, accessible, clickAndConfirm, fitsPhone, sentMails, signIn } from "./support";
import { createHash } from "node:crypto";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function daysAgo(days: number): string {
  const date = new Date(Date.now() - days * 24 * 3600 * 1000);
  return date.toISOString().slice(0, 10);
}

function csv(lines: string[]) {
  return { name: "kandidaten.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n") + "\n") };
}

test("the national body runs a verifiable lottery and a candidate accepts a second-chance offer", async ({ page, request }) => {
  test.setTimeout(120_000);
  const name = `Plaatsingsloting E2E ${Date.now()}`;
  await signIn(page, "admin@demo.koppel.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /^Plaatsingsloting/ }).click();
  await page.getByLabel("Naam").fill(name);
  await page.getByLabel("Sollicitanten").fill("12");
  await page.getByLabel("Geselecteerd").fill("5");
  await page.getByRole("button", { name: "Loting aanmaken" }).click();
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByTestId("lottery-status")).toHaveText("In voorbereiding");

  // Locations, then candidates: a bad row imports nothing and is named.
  await page.getByLabel(/^Locaties: één per regel/).fill(
    "amsterdam,Huisartsopleiding Amsterdam,1\nbreda,Huisartsopleiding Breda,1\nzwolle,Huisartsopleiding Zwolle,2",
  );
  await page.getByRole("button", { name: "Locaties opslaan" }).click();
  await expect(page.getByRole("cell", { name: "Huisartsopleiding Zwolle" })).toBeVisible();
  const suitable = daysAgo(30);
  const header = "id,name,email,preferences,second_attempt,suitable_on";
  await page.getByLabel("Kandidaten: importeer CSV").setInputFiles(csv([
    header,
    `L-1,Kandidaat Een,een@loting-e2e.test,amsterdam;breda,false,${suitable}`,
    `L-2,Kandidaat Twee,twee@loting-e2e.test,rotterdam,false,${suitable}`,
  ]));
  await expect(page.getByTestId("candidate-import-errors")).toContainText("line 3.preferences[0]");
  const people = ["Een", "Twee", "Drie", "Vier", "Vijf"];
  await page.getByLabel("Kandidaten: importeer CSV").setInputFiles(csv([
    header,
    ...people.map((p, i) => `L-${i + 1},Kandidaat ${p},${p.toLowerCase()}@loting-e2e.test,amsterdam;breda,false,${suitable}`),
  ]));
  await expect(page.getByText("5 kandidaten geïmporteerd.")).toBeVisible();
  await page.screenshot({ path: "artifacts/lottery-setup.png", fullPage: true });
  await accessible(page, "the lottery set-up");

  // Commit: the commitment is published, the secret stays secret; then draw: it is revealed.
  // Cancelling the question changes nothing.
  await clickAndConfirm(page, "Vastleggen (commit)", /kunnen daarna niet meer veranderen/, false);
  await expect(page.getByTestId("lottery-status")).toHaveText("In voorbereiding");
  await expect(page.getByTestId("commitment")).toHaveText("—");
  await clickAndConfirm(page, "Vastleggen (commit)", /kunnen daarna niet meer veranderen/);
  await expect(page.getByTestId("lottery-status")).toHaveText("Vastgelegd: invoer bevroren");
  const commitment = (await page.getByTestId("commitment").textContent()) ?? "";
  expect(commitment).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId("seed")).toHaveText("geheim tot de loting");
  await expect(page.getByLabel("Kandidaten: importeer CSV")).toHaveCount(0);
  // The draw takes a public value nobody knew at the commit; the seed follows from it and the
  // committed secret.
  await expect(page.getByTestId("secret")).toHaveText("geheim tot de loting");
  const publicValue = "drand quicknet ronde 21834567: 6f1a0c9e5b2d4a7c";
  await page.getByLabel("Publieke waarde").fill(publicValue);
  await clickAndConfirm(page, "Loten", /De uitslag is definitief/);
  await expect(page.getByTestId("lottery-status")).toHaveText("Geloot");
  const secret = (await page.getByTestId("secret").textContent()) ?? "";
  const seed = (await page.getByTestId("seed").textContent()) ?? "";
  expect(sha256(secret)).toEqual(commitment);
  expect(seed).toEqual(sha256(`${secret}:${publicValue}`));
  await expect(page.getByTestId("public-value")).toHaveText(publicValue);

  // The report has the published figures; the unfilled places are offered.
  const report = page.getByTestId("report");
  await expect(report).toContainText("Totaal in de loting5");
  await expect(report).toContainText("Geplaatst op een voorkeurslocatie2");
  await expect(report).toContainText("Uitgeloot3");
  await expect(report).toContainText("Plekken onvervuld2");
  await expect(page.getByTestId("offers").getByRole("row")).toHaveCount(3);
  await page.screenshot({ path: "artifacts/lottery-report.png", fullPage: true });
  await fitsPhone(page, "the lottery report", "lottery-report-phone.png");
  await accessible(page, "the lottery report");
  // The drawn lottery's public statistics: five candidates, so the counts of people show as <5.
  const lotteryPage = page.url();
  await page.goto("/statistics");
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("lottery-figures")).toContainText("Totaal in de loting5");
  await expect(page.getByTestId("lottery-figures")).toContainText("Uitgeloot<5");
  // Places minus the unfilled would give the hidden placed count away.
  await expect(page.getByTestId("lottery-figures")).toContainText("Onvervuld<5");
  await page.screenshot({ path: "artifacts/statistics-lottery.png", fullPage: true });
  await accessible(page, "the lottery's public statistics");
  await page.goto(lotteryPage);

  // Equal chance, with progress: two places for five equal candidates.
  await page.getByLabel("Aantal lotingen").fill("2000");
  await page.getByRole("button", { name: "Simuleren" }).click();
  await expect(page.getByTestId("simulation-progress")).toHaveText("2000/2000 lotingen");
  await expect(page.getByTestId("chances").getByRole("row")).toHaveCount(6);
  await page.screenshot({ path: "artifacts/lottery-simulation.png", fullPage: true });

  // Anyone can fetch the verification document without signing in.
  const lotteryId = page.url().split("/").pop();
  const verification = await request.get(`/api/v1/lotteries/${lotteryId}/verification`);
  expect(verification.ok()).toBe(true);
  const document = await verification.json();
  expect(document.seed).toEqual(seed);
  expect(JSON.stringify(document)).not.toContain("loting-e2e.test");
  // Candidates appear under pseudonyms, not their ids.
  expect(JSON.stringify(document)).not.toContain("L-1");
  expect(document.inputs.candidates.every((c: { id: string }) => /^P-[0-9a-f]{16}$/.test(c.id))).toBe(true);
  await page.getByRole("button", { name: "Uitloggen" }).click();

  // A candidate with an offer activates their account from the outcome mail.
  // The mail as sent: the outbox shows the link only as a placeholder.
  let offered: SentMail | undefined;
  await expect.poll(() => {
    offered = sentMails().find((m) => m.body.includes("die we je aanbieden") && m.recipients.some((r) => r.endsWith("@loting-e2e.test")) && /\/activate\?token=/.test(m.body));
    return offered !== undefined;
  }, { timeout: 20_000 }).toBe(true);
  const link = offered!.body.match(/\/activate\?token=[A-Za-z0-9_-]+/)![0];
  await page.goto(link);
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Herhaal wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Activeren en inloggen" }).click();
  await page.getByRole("link", { name: /Je plaatsingsloting/ }).click();
  await expect(page.getByTestId("lottery-number")).toContainText(/Je lotnummer: \d/);
  const publicId = ((await page.getByTestId("public-id").locator("code").textContent()) ?? "").trim();
  expect(document.inputs.candidates.map((c: { id: string }) => c.id)).toContain(publicId);
  await expect(page.getByTestId("lottery-outcome")).toHaveText("Je bent uitgeloot voor je voorkeurslocaties.");
  await expect(page.getByTestId("offer")).toContainText("Huisartsopleiding Zwolle");
  await page.screenshot({ path: "artifacts/lottery-candidate-offer.png", fullPage: true });
  await accessible(page, "the candidate's lottery page");
  await clickAndConfirm(page, "Aanbod aannemen", /Je wordt op deze plek geplaatst/);
  await expect(page.getByTestId("offer")).toContainText("aangenomen");
  await expect(page.getByTestId("second-chance-place")).toContainText("Huisartsopleiding Zwolle");
  await page.screenshot({ path: "artifacts/lottery-candidate-accepted.png", fullPage: true });
});

test("a drawn lottery's placed candidates go to their institute, whose A-team imports them as trainees (and anonymises one who left)", async ({ page }) => {
  const name = `Loting overdracht E2E ${Date.now()}`;
  const start = `${new Date().getFullYear() + 1}-03-01`;
  await signIn(page, "admin@demo.koppel.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /^Plaatsingsloting/ }).click();
  await page.getByLabel("Naam").fill(name);
  await page.getByLabel("Sollicitanten").fill("3");
  await page.getByLabel("Geselecteerd").fill("2");
  await page.getByRole("button", { name: "Loting aanmaken" }).click();
  await page.getByRole("link", { name }).click();
  await page.getByLabel(/^Locaties: één per regel/).fill("demo,Huisartsopleiding Demo-locatie,2");
  await page.getByRole("button", { name: "Locaties opslaan" }).click();
  // The location is linked to the demo institute.
  await page.getByLabel("Instituut van Huisartsopleiding Demo-locatie").selectOption({ label: "Huisartsopleiding Demo" });
  await expect(page.getByText("Instituut opgeslagen.")).toBeVisible();
  const suitable = daysAgo(30);
  await page.getByLabel("Kandidaten: importeer CSV").setInputFiles(csv([
    "id,name,email,preferences,second_attempt,suitable_on",
    `O-1,Olga Overdracht,olga@overdracht-e2e.test,demo,false,${suitable}`,
    `O-2,Otto Overdracht,otto@overdracht-e2e.test,demo,false,${suitable}`,
  ]));
  await expect(page.getByText("2 kandidaten geïmporteerd.")).toBeVisible();
  await clickAndConfirm(page, "Vastleggen (commit)", /kunnen daarna niet meer veranderen/);
  await page.getByLabel("Publieke waarde").fill("drand quicknet ronde 1: overdracht");
  await clickAndConfirm(page, "Loten", /De uitslag is definitief/);
  await expect(page.getByTestId("lottery-status")).toHaveText("Geloot");

  // Everyone is placed, so there is no second chance: the hand-over can go at once.
  await page.getByLabel("Start opleidingsplaats").fill(start);
  await page.getByRole("button", { name: "Overdragen", exact: true }).click();
  await expect(page.getByTestId("handover-result")).toContainText("Huisartsopleiding Demo: 2");
  await expect(page.getByTestId("handed-over")).toContainText("start opleidingsplaats 1 maart");
  await page.screenshot({ path: "artifacts/lottery-handover.png", fullPage: true });
  await accessible(page, "the lottery hand-over");
  await page.getByRole("button", { name: "Uitloggen" }).click();

  // The demo A-team sees them and imports them in one step.
  await signIn(page, "a-team@demo.koppel.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  const placed = page.getByTestId("placed-candidates");
  await expect(placed).toContainText("Olga Overdracht");
  await expect(placed).toContainText("nog te importeren");
  await page.getByRole("button", { name: "Importeren als eerstejaars aios (2)" }).click();
  await expect(page.getByText("Geïmporteerd als eerstejaars aios.")).toBeVisible();
  await expect(placed.getByRole("row").filter({ hasText: "Otto Overdracht" })).toContainText("geïmporteerd");
  await page.screenshot({ path: "artifacts/placed-candidates.png", fullPage: true });
  await page.reload();
  await expect(page.getByRole("cell", { name: "olga@overdracht-e2e.test" })).toBeVisible();

  // Otto leaves before his first round: the A-team anonymises him; his record stays, nameless.
  await clickAndConfirm(page, "Anonimiseren: Otto Overdracht", /Otto Overdracht anonimiseren\? .*Dit kan niet ongedaan worden/);
  await expect(page.getByText("Geanonimiseerd.")).toBeVisible();
  await expect(page.getByRole("cell", { name: "otto@overdracht-e2e.test" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("placed-candidates")).toContainText("Olga Overdracht");
  await expect(page.getByTestId("placed-candidates")).not.toContainText("Otto Overdracht");
  await expect(page.getByRole("cell", { name: /^Geanonimiseerde aios [0-9a-f]{8}$/ }).first()).toBeVisible();
});
