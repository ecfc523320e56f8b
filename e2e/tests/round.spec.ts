// A whole coupling round through the browser, with a real user for every role on the fresh
// e2e server: the administrator creates an institute and invites its coordinators; the A-team
// and O-team import trainees and trainers, create the round and add participants; trainees and
// trainers activate their accounts from the invitation mails, write profiles, rank, interview
// and rank again; the coordinators publish the interview proposal and the coupling. Along the
// way: a CSV import with a bad row, a refused veto reason and a passed deadline.
import { Page, expect, test } from "@playwright/test";
import { DEMO_PASSWORD, PASSWORD, accessible, clickAndConfirm, fitsPhone, mailLink, sentMail, signIn } from "./support";

const INSTITUTE = "Huisartsopleiding E2E";
// A round two years ahead: every deadline is still to come whenever the test runs.
const YEAR = new Date().getFullYear() + 2;
// A round whose coupling process is over: its deadlines have passed.
const PAST_YEAR = new Date().getFullYear() - 1;

const TRAINEES = [
  { name: "Anna Aios", email: "anna@e2e.test" },
  { name: "Bram Aios", email: "bram@e2e.test" },
  { name: "Cato Aios", email: "cato@e2e.test" },
];
const LATE = { name: "Lisa Laat", email: "lisa@e2e.test" };
const PAST_TRAINER = { name: "Dr. Eerder", email: "eerder@e2e.test" };
const TRAINERS = [
  { name: "Dr. Aalders", email: "aalders@e2e.test" },
  { name: "Dr. Bakker", email: "bakker@e2e.test" },
  { name: "Dr. Claassen", email: "claassen@e2e.test" },
  { name: "Dr. Dekker", email: "dekker@e2e.test" },
];

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Uitloggen" }).click();
  await expect(page).toHaveURL(/\/login$/);
}

async function activate(page: Page, email: string) {
  await page.goto(await mailLink(email));
  await page.getByLabel("Nieuw wachtwoord").fill(PASSWORD);
  await page.getByLabel("Herhaal wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Activeren en inloggen" }).click();
  await expect(page.getByRole("heading", { name: /^Welkom, / })).toBeVisible();
}

async function openRoundAsCoordinator(page: Page, title: string) {
  await page.getByRole("link", { name: /Koppelingsrondes/ }).click();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
}

async function moveTo(page: Page, phase: string) {
  await clickAndConfirm(page, `Naar ${phase}`, /Terug naar de vorige fase kan niet/);
  await expect(page.getByTestId("phase").first()).toHaveText(phase);
}

async function openMyRound(page: Page) {
  await page.getByRole("link", { name: "Open de ronde" }).first().click();
  await expect(page.getByRole("heading", { name: `Koppelingsronde maart ${YEAR}` })).toBeVisible();
}

function csv(lines: string[]) {
  return { name: "import.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n") + "\n") };
}

test("a whole round through the browser, from round creation to the published coupling", async ({ page }) => {
  test.setTimeout(300_000);
  const title = `Koppelingsronde maart ${YEAR}`;

  // The administrator creates the institute and invites its coordinators.
  await signIn(page, "admin@demo.koppel.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /Opleidingsinstituten/ }).click();
  await page.getByLabel("Nieuw opleidingsinstituut").fill(INSTITUTE);
  await page.getByRole("button", { name: "Aanmaken" }).click();
  const row = page.getByRole("listitem").filter({ hasText: INSTITUTE });
  await row.getByRole("button", { name: "Gebruikers" }).click();
  for (const [name, email, role] of [
    ["Ada Coördinator", "a-team@e2e.test", "trainee_team"],
    ["Otto Coördinator", "o-team@e2e.test", "trainer_team"],
  ]) {
    await page.getByLabel("Naam").fill(name);
    await page.getByLabel("E-mailadres").fill(email);
    await page.getByLabel("Rol", { exact: true }).selectOption(role);
    await page.getByRole("button", { name: "Uitnodigen" }).click();
    await expect(page.getByRole("cell", { name: email })).toBeVisible();
  }
  await page.screenshot({ path: "artifacts/admin-institutes.png", fullPage: true });
    await accessible(page, "the institutes page");
  await signOut(page);

  // The A-team imports trainees: a bad row imports nothing and is named; then the good file.
  await activate(page, "a-team@e2e.test");
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  const traineeImport = page.getByLabel("Aios: importeer CSV");
  await traineeImport.setInputFiles(csv([
    "name,email,training_start,part_time_factor,leave_days",
    `${TRAINEES[0].name},${TRAINEES[0].email},${YEAR}-03-01,1.0,0`,
    `Fout Rij,fout@e2e.test,geen-datum,1.0,0`,
  ]));
  await expect(page.getByTestId("import-errors")).toContainText("line 3.training_start");
  await expect(page.getByTestId("import-errors")).toContainText("Niets geïmporteerd");
  await page.screenshot({ path: "artifacts/people-import-errors.png", fullPage: true });
    await accessible(page, "the people page with import errors");
  await traineeImport.setInputFiles(csv([
    "name,email,training_start,part_time_factor,leave_days",
    ...TRAINEES.map((t) => `${t.name},${t.email},${YEAR}-03-01,1.0,0`),
    `${LATE.name},${LATE.email},${PAST_YEAR}-09-01,1.0,0`,
  ]));
  await expect(page.getByText("4 rijen geïmporteerd.")).toBeVisible();
  await expect(page.getByRole("cell", { name: TRAINEES[2].email })).toBeVisible();

  // It creates the round, with the schedule shown before saving.
  await page.goto("/admin/rounds");
  await page.getByLabel("Startmaand").selectOption("March");
  await page.getByLabel("Jaar").fill(String(YEAR));
  await expect(page.getByTestId("schedule-preview")).toContainText(`1 maart ${YEAR}`);
  await page.screenshot({ path: "artifacts/admin-round-create.png", fullPage: true });
    await accessible(page, "the rounds page");
  await page.getByRole("button", { name: "Ronde aanmaken" }).click();
  await expect(page.getByText("De ronde is aangemaakt.")).toBeVisible();
  // And the round of a past placement, for the deadline below.
  await page.getByLabel("Startmaand").selectOption("September");
  await page.getByLabel("Jaar").fill(String(PAST_YEAR));
  await page.getByRole("button", { name: "Ronde aanmaken" }).click();
  await expect(page.getByRole("link", { name: `Koppelingsronde september ${PAST_YEAR}` })).toBeVisible();

  await page.getByRole("link", { name: title }).click();
  for (const trainee of TRAINEES) {
    await page.getByRole("button", { name: `Toevoegen: ${trainee.name}` }).click();
    await expect(page.getByTestId("due-trainees").getByRole("listitem").filter({ hasText: trainee.name })).toContainText("doet mee");
  }
  await page.goto("/");
  await openRoundAsCoordinator(page, `Koppelingsronde september ${PAST_YEAR}`);
  await page.getByRole("button", { name: `Toevoegen: ${LATE.name}` }).click();
  await expect(page.getByTestId("due-trainees")).toContainText("doet mee");
  await signOut(page);

  // The O-team imports trainers and adds them to both rounds, in continuity order.
  await activate(page, "o-team@e2e.test");
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  await page.getByLabel("Opleiders: importeer CSV").setInputFiles(csv([
    "name,email,eligible_year1,eligible_year3,large_scale_structure,last_trainee_end,practice_id",
    ...TRAINERS.map((t, i) => `${t.name},${t.email},true,true,true,${2020 + i}-08-31,`),
    `${PAST_TRAINER.name},${PAST_TRAINER.email},true,true,true,2025-08-31,`,
  ]));
  await expect(page.getByText("5 rijen geïmporteerd.")).toBeVisible();
  await page.goto("/");
  await openRoundAsCoordinator(page, title);
  await expect(page.getByTestId("candidate-trainers").getByRole("listitem").first()).toContainText(TRAINERS[0].name);
  // First it asks every candidate trainer for their availability (they are invited to Koppel).
  await page.getByRole("button", { name: "Beschikbaarheid vragen" }).click();
  await expect(page.getByText("5 opleiders gevraagd naar hun beschikbaarheid.")).toBeVisible();
  await expect(page.getByTestId("candidate-trainers").getByRole("listitem").filter({ hasText: TRAINERS[0].name }))
    .toContainText("beschikbaarheid: nog geen antwoord");
  await sentMail(TRAINERS[0].email, /Kun je een aios opleiden\?[\s\S]*\/availability/);
  for (const trainer of TRAINERS) {
    await page.getByRole("button", { name: `Toevoegen: ${trainer.name}` }).click();
    await expect(page.getByTestId("candidate-trainers").getByRole("listitem").filter({ hasText: trainer.name })).toContainText("doet mee");
  }
  await page.screenshot({ path: "artifacts/admin-round-participants.png", fullPage: true });
    await accessible(page, "the coordinators' round page");
  await page.goto("/");
  await openRoundAsCoordinator(page, `Koppelingsronde september ${PAST_YEAR}`);
  await page.getByRole("button", { name: `Toevoegen: ${PAST_TRAINER.name}` }).click();
  await expect(page.getByTestId("candidate-trainers")).toContainText("doet mee");
  await moveTo(page, "Stap 1: profielen");
  await signOut(page);

  // A write after a deadline is refused, and the message says which deadline.
  await activate(page, LATE.email);
  await page.goto("/profile");
  await page.getByLabel("Introductie").fill("Te laat.");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await expect(page.getByRole("alert")).toContainText(`De deadline (`);
  await expect(page.getByRole("alert")).toContainText(`${PAST_YEAR}) is verstreken`);
  await page.screenshot({ path: "artifacts/deadline-passed.png", fullPage: true });
  await signOut(page);

  // The round's calendar can be held and resumed; the A-team opens step 1 by hand, and everyone
  // who still has to write a profile hears so.
  await signIn(page, "a-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  await expect(page.getByTestId("calendar-status")).toContainText("De kalender loopt");
  await page.getByRole("button", { name: "Kalender pauzeren" }).click();
  await expect(page.getByTestId("calendar-status")).toContainText("De kalender staat stil");
  await page.getByRole("button", { name: "Kalender hervatten" }).click();
  await expect(page.getByTestId("calendar-status")).toContainText("De kalender loopt");
  await moveTo(page, "Stap 1: profielen");
  const opened = await sentMail(TRAINEES[0].email, /Stap 1 van de koppelingsronde maart \d{4} is geopend/);
  expect(opened.subject).toBe(`Stap 1 van de koppelingsronde maart ${YEAR} is geopend`);
  await sentMail(TRAINERS[0].email, /Stap 1 van de koppelingsronde/);
  await signOut(page);

  // Trainees and trainers activate their accounts and write profiles and learning plans.
  for (const [index, trainee] of TRAINEES.entries()) {
    await activate(page, trainee.email);
    await expect(page.getByTestId("todo")).toContainText("Schrijf je profiel");
    if (index === 0) {
      await page.screenshot({ path: "artifacts/home-trainee.png", fullPage: true });
      await accessible(page, "the trainee's home page");
    }
    await page.goto("/profile");
    await page.getByLabel("Introductie").fill(`Ik ben ${trainee.name}.`);
    await page.getByLabel("Ervaring").fill("Twee jaar ANIOS interne geneeskunde.");
    await page.getByLabel("Leerwensen").fill("Ouderenzorg en palliatieve zorg.");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await expect(page.getByText("Je profiel is opgeslagen.")).toBeVisible();
    if (index === 0) {
      await page.getByLabel("Cv (pdf, hoogstens 5 MB)").setInputFiles({
        name: "cv.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% e2e cv\n"),
      });
      await expect(page.getByTestId("cv-present")).toBeVisible();
      await page.getByLabel("Foto (jpeg of png, hoogstens 2 MB)").setInputFiles({
        name: "foto.txt", mimeType: "image/png", buffer: Buffer.from("not an image"),
      });
      await expect(page.getByRole("alert")).toContainText("een foto moet een JPEG- of PNG-afbeelding zijn");
      await page.screenshot({ path: "artifacts/profile-trainee.png", fullPage: true });
    await accessible(page, "the trainee's profile");
    }
    await signOut(page);
  }
  for (const [index, trainer] of TRAINERS.entries()) {
    await activate(page, trainer.email);
    if (index === 0) {
      // The availability request waits on the trainer's home page: available, a duo practice.
      const request = page.getByTestId("availability-request");
      await expect(request).toContainText("Je hebt nog niet geantwoord.");
      await request.getByLabel("Hoeveel aios?").selectOption("2");
      await request.getByLabel("Toelichting voor het O-team (optioneel)").fill("Samen met mijn compagnon.");
      await request.getByRole("button", { name: "Antwoord opslaan" }).click();
      await expect(request.getByRole("status")).toHaveText("Je antwoord is opgeslagen; het O-team ziet het.");
      await page.screenshot({ path: "artifacts/availability-trainer.png", fullPage: true });
      await accessible(page, "the trainer's availability request");
    }
    await page.goto("/profile");
    await page.getByLabel("Leerwerkplan", { exact: true }).fill(`Leerwerkplan van ${trainer.name}: veel visites, wekelijks leergesprek.`);
    await page.getByRole("button", { name: "Opslaan" }).click();
    await expect(page.getByText("Opgeslagen.")).toBeVisible();
    await signOut(page);
  }

  // The O-team sees the answer, and who has not answered.
  await signIn(page, "o-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  const candidates = page.getByTestId("candidate-trainers").getByRole("listitem");
  await expect(candidates.filter({ hasText: TRAINERS[0].name })).toContainText(/beschikbaar voor jaar .*, 2 aios \(duopraktijk\)/);
  await expect(candidates.filter({ hasText: TRAINERS[0].name })).toContainText("Samen met mijn compagnon.");
  await expect(candidates.filter({ hasText: TRAINERS[1].name })).toContainText("beschikbaarheid: nog geen antwoord");
  await signOut(page);

  // Step 2.
  await signIn(page, "a-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  await moveTo(page, "Stap 2: voorkeuren");
  await signOut(page);

  for (const [index, trainee] of TRAINEES.entries()) {
    await signIn(page, trainee.email);
    await openMyRound(page);
    const names = index % 2 === 0 ? TRAINERS.map((t) => t.name) : TRAINERS.map((t) => t.name).reverse();
    if (index === 0) {
      // Trainers' learning plans are one click away; the list filters as you type.
      await page.getByRole("button", { name: "Leerwerkplan" }).first().click();
      await expect(page.getByText(/veel visites/).first()).toBeVisible();
      await page.getByLabel("Zoeken op naam, praktijk of plaats").fill("Bakker");
      await expect(page.getByTestId("available").getByRole("listitem")).toHaveCount(1);
      await page.getByLabel("Zoeken op naam, praktijk of plaats").fill("");
    }
    for (const name of names) {
      await page.getByRole("button", { name: `Toevoegen: ${name}` }).click();
    }
    const ranking = page.getByTestId("ranking").getByRole("listitem");
    await expect(ranking).toHaveCount(4);
    if (index === 0) {
      // By keyboard: the fourth moves up one place.
      await page.getByRole("button", { name: `Hoger: ${names[3]}` }).click();
      await expect(ranking.nth(2)).toContainText(names[3]);
      // By drag and drop: the last goes to the top.
      await ranking.nth(3).dragTo(ranking.nth(0));
      await expect(ranking.nth(0)).toContainText(names[2]);
    }
    await page.getByRole("button", { name: "Voorkeuren opslaan" }).click();
    await expect(page.getByText("Je voorkeuren zijn opgeslagen.", { exact: false })).toBeVisible();
    if (index === 0) {
      // A veto for travel time is refused with the policy.
      await page.getByLabel("Reden").selectOption("travel_time");
      await page.getByRole("button", { name: "Veto vastleggen" }).click();
      await expect(page.getByTestId("veto-error")).toContainText("Reistijd is geen grond voor een veto");
      await page.screenshot({ path: "artifacts/round-trainee-preferences.png", fullPage: true });
    await accessible(page, "the trainee's step-2 page");
    }
    await signOut(page);
  }

  // The A-team checks progress, publishes the interview proposal and opens step 3.
  await signIn(page, "a-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  await expect(page.locator("#progress")).toContainText("3/3");
  await page.getByRole("button", { name: "Voorstel berekenen" }).click();
  await expect(page.getByTestId("proposal").getByRole("row")).toHaveCount(4);
  await page.screenshot({ path: "artifacts/admin-round-proposal.png", fullPage: true });
  // Adjust by hand: Bram does not interview Dr. Dekker.
  await page.getByRole("button", { name: `Aanpassen: ${TRAINEES[1].name}` }).click();
  await page.getByRole("group", { name: `Gesprekken van ${TRAINEES[1].name}` }).getByLabel(TRAINERS[3].name).uncheck();
  await page.getByRole("button", { name: "Opslaan" }).click();
  await expect(page.getByText("Aangepast.")).toBeVisible();
  await expect(page.getByTestId("proposal").getByRole("row").filter({ hasText: TRAINEES[1].name })).not.toContainText(TRAINERS[3].name);
  await clickAndConfirm(page, "Voorstel publiceren", /krijgen meteen een mail met hun gesprekken/);
  await expect(page.getByText(/Gepubliceerd: aios en opleiders/)).toBeVisible();
  await moveTo(page, "Stap 3: gesprekken en rangorde");
  await signOut(page);

  // Step 3: interviews and final rankings on both sides.
  for (const [index, trainee] of TRAINEES.entries()) {
    await signIn(page, trainee.email);
    await openMyRound(page);
    await expect(page.getByTestId("interviews").getByRole("listitem")).toHaveCount(index === 1 ? 3 : 4);
    if (index === 0) {
      const first = page.getByRole("form", { name: `Gesprek met ${TRAINERS[0].name}` });
      await first.getByLabel("Gepland op").fill(`${YEAR - 1}-12-10`);
      await first.getByLabel("Gehouden op").fill(`${YEAR - 1}-12-12`);
      await first.getByRole("button", { name: "Opslaan" }).click();
      await expect(first.getByText("Opgeslagen.")).toBeVisible();
    }
    await page.getByRole("button", { name: "Rangorde indienen" }).click();
    await expect(page.getByText("Je definitieve rangorde is opgeslagen.")).toBeVisible();
    if (index === 0) {
      await page.screenshot({ path: "artifacts/round-trainee-interviews.png", fullPage: true });
      await accessible(page, "the trainee's interviews");
    }
    await signOut(page);
  }
  for (const [index, trainer] of TRAINERS.entries()) {
    await signIn(page, trainer.email);
    await openMyRound(page);
    await expect(page.getByTestId("interviews").getByRole("listitem").first()).toBeVisible();
    if (index === 0) {
      await page.getByRole("button", { name: "Profiel" }).first().click();
      await expect(page.getByText(/Twee jaar ANIOS/).first()).toBeVisible();
      await page.screenshot({ path: "artifacts/round-trainer.png", fullPage: true });
    await accessible(page, "the trainer's round page");
    }
    await page.getByRole("button", { name: "Rangorde indienen" }).click();
    await expect(page.getByText("Je definitieve rangorde is opgeslagen.")).toBeVisible();
    await signOut(page);
  }

  // Coupling: a run, compared by its charts, then published.
  await signIn(page, "a-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  await moveTo(page, "Koppeling berekenen");
  await page.getByRole("button", { name: "Koppeling berekenen" }).click();
  await expect(page.getByTestId("runs").getByRole("article")).toHaveCount(1);
  await expect(page.getByTestId("runs")).toContainText("Blokkerende paren");
  await page.getByText("Koppelingen, blokkerende paren en uitleg").click();
  await expect(page.getByRole("cell", { name: TRAINEES[0].name })).toBeVisible();
  await expect(page.getByTestId("runs")).toContainText(/kreeg keuze \d/);
  await page.screenshot({ path: "artifacts/admin-round-runs.png", fullPage: true });
  await fitsPhone(page, "the coordinators' round page", "admin-round-runs-phone.png");
    await accessible(page, "the coupling runs");
  await clickAndConfirm(page, "Deze koppeling publiceren", /Iedereen krijgt meteen de uitslag/);
  await expect(page.getByTestId("phase").first()).toHaveText("Uitslag bekend");
  await page.goto("/admin/outbox");
  await expect(page.getByTestId("outbox").getByRole("listitem").first()).toBeVisible();
  await page.screenshot({ path: "artifacts/admin-outbox.png", fullPage: true });
  // The coordinators follow their published rounds over time.
  await page.goto("/admin/rounds");
  await expect(page.getByTestId("trends").getByRole("row")).toHaveCount(2);
  await expect(page.getByTestId("trends")).toContainText("<5");
  await signOut(page);

  // Anyone reads the published round's statistics without signing in; with three trainees every
  // count of people is below five and shows as <5.
  await page.goto("/statistics");
  await page.getByRole("link", { name: new RegExp(`^${INSTITUTE}, `) }).first().click();
  const figures = page.getByTestId("round-figures");
  await expect(figures).toContainText("Gekoppeld<5");
  await expect(figures).toContainText("Blokkerende paren");
  await expect(page.getByRole("img", { name: /Welke keus van de aios hun opleider was: keuze 1: / })).toBeVisible();
  await page.screenshot({ path: "artifacts/statistics-round.png", fullPage: true });
  await accessible(page, "the round's public statistics");

  // Every trainee sees their coupling with the explanation.
  await signIn(page, TRAINEES[0].email);
  await openMyRound(page);
  await expect(page.getByTestId("result")).toContainText("Je bent gekoppeld aan");
  await expect(page.getByTestId("rank")).toContainText(/eerste keus|keuze nummer/);
  await page.screenshot({ path: "artifacts/round-trainee-result.png", fullPage: true });
    await accessible(page, "the trainee's result");
  await signOut(page);
  // Someone who did not get their first choice reads why.
  let explained = false;
  for (const trainee of TRAINEES.slice(1)) {
    await signIn(page, trainee.email);
    await openMyRound(page);
    await expect(page.getByTestId("rank")).toBeVisible();
    if ((await page.getByTestId("rank").textContent())?.includes("keuze nummer")) {
      await expect(page.getByTestId("explanation")).not.toBeEmpty();
      await page.screenshot({ path: "artifacts/round-trainee-explanation.png", fullPage: true });
      explained = true;
      break;
    }
    await signOut(page);
  }
  expect(explained, "three trainees ranked four trainers in the same order twice: not all got their first choice").toBe(true);
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "artifacts/round-trainee-result-phone.png", fullPage: true });
});

test("the published coupling carries over: history, continuity order, and the year-1 trainer is not offered in year 3", async ({ page }) => {
  // Uses the institute and the round published by the test above; nothing is typed in between.
  const lastOfFebruary = new Date(YEAR + 1, 2, 0).getDate();
  const plannedEnd = `${lastOfFebruary} februari ${YEAR + 1}`;
  await signIn(page, "a-team@e2e.test");
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  // The publication wrote each trainee's year-1 trainer with the placement and its planned end.
  const anna = page.getByRole("row").filter({ hasText: TRAINEES[0].email });
  await expect(anna).toContainText(`1 maart ${YEAR} – ${plannedEnd}`);
  const annaText = (await anna.textContent()) ?? "";
  const year1Trainer = TRAINERS.find((t) => annaText.includes(`jaar 1 bij ${t.name}`));
  expect(year1Trainer, annaText).toBeDefined();
  // And the trainers they were coupled to now have a trainee until then.
  const coupledTrainers = page.getByRole("row").filter({ hasText: `${plannedEnd} (gekoppeld in Koppel)` });
  await expect(coupledTrainers).toHaveCount(TRAINEES.length);
  await page.screenshot({ path: "artifacts/people-history.png", fullPage: true });

  // The year-3 round of the same trainees, two years later.
  await page.goto("/admin/rounds");
  await page.getByLabel("Startmaand").selectOption("March");
  await page.getByLabel("Jaar").fill(String(YEAR + 2));
  await page.getByRole("button", { name: "Ronde aanmaken" }).click();
  const later = `Koppelingsronde maart ${YEAR + 2}`;
  await page.getByRole("link", { name: later }).click();
  await expect(page.getByRole("heading", { name: later })).toBeVisible();
  const roundPath = new URL(page.url()).pathname.replace("/admin", "");
  await page.getByRole("button", { name: `Toevoegen: ${TRAINEES[0].name}` }).click();
  await expect(page.getByTestId("due-trainees").getByRole("listitem").filter({ hasText: TRAINEES[0].name })).toContainText("doet mee");
  await signOut(page);

  // The continuity order puts the trainers who just got a trainee last.
  await signIn(page, "o-team@e2e.test");
  await openRoundAsCoordinator(page, later);
  const candidates = page.getByTestId("candidate-trainers").getByRole("listitem");
  await expect(candidates).toHaveCount(TRAINERS.length + 1);
  for (let i = 0; i < 2; i++) await expect(candidates.nth(i)).not.toContainText(plannedEnd);
  for (let i = 2; i < TRAINERS.length + 1; i++) await expect(candidates.nth(i)).toContainText(`laatste aios tot ${plannedEnd}`);
  await page.screenshot({ path: "artifacts/admin-round-continuity.png", fullPage: true });
  for (const trainer of TRAINERS) {
    await page.getByRole("button", { name: `Toevoegen: ${trainer.name}` }).click();
    await expect(candidates.filter({ hasText: trainer.name })).toContainText("doet mee");
  }
  // A duo practice: the O-team gives a trainer two places in this round.
  await page.getByLabel(`Plaatsen voor ${TRAINERS[1].name}`).selectOption("2");
  await expect(page.getByText("Aantal plaatsen opgeslagen.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(`Plaatsen voor ${TRAINERS[1].name}`)).toHaveValue("2");
  // Each team writes to its own side of the round: the O-team to the trainers.
  await page.getByLabel("Onderwerp", { exact: true }).fill("Leerwerkplannen bijwerken");
  await page.getByLabel("Bericht", { exact: true }).fill("Werk je leerwerkplan bij voor de ronde van jaar 3.");
  await page.getByRole("button", { name: "Versturen" }).click();
  await expect(page.getByTestId("message-sent")).toContainText(`Verstuurd aan ${TRAINERS.length}`);
  const toTrainer = await sentMail(TRAINERS[0].email, /leerwerkplan bij voor de ronde van jaar 3/);
  expect(toTrainer.body).toContain("Het O-team");
  await signOut(page);
  await signIn(page, "a-team@e2e.test");
  await openRoundAsCoordinator(page, later);
  await moveTo(page, "Stap 1: profielen");
  await moveTo(page, "Stap 2: voorkeuren");
  // And the A-team to the trainees.
  await page.getByLabel("Onderwerp", { exact: true }).fill("Voorkeuren voor jaar 3");
  await page.getByLabel("Bericht", { exact: true }).fill("Geef je voorkeuren voor jaar 3 op.");
  await page.getByRole("button", { name: "Versturen" }).click();
  await expect(page.getByTestId("message-sent")).toContainText("Verstuurd aan 1");
  await page.screenshot({ path: "artifacts/admin-round-message.png", fullPage: true });
  await accessible(page, "the round page with the message form");
  expect((await sentMail(TRAINEES[0].email, /voorkeuren voor jaar 3 op/)).body).toContain("Het A-team");
  await signOut(page);

  // Anna may rank every trainer of the round except her year-1 trainer.
  await signIn(page, TRAINEES[0].email);
  await page.goto(roundPath);
  await expect(page.getByRole("heading", { name: later })).toBeVisible();
  const available = page.getByTestId("available").getByRole("listitem");
  await expect(available).toHaveCount(TRAINERS.length - 1);
  await expect(page.getByTestId("available")).not.toContainText(year1Trainer!.name);
  await page.screenshot({ path: "artifacts/round-year3-rankable.png", fullPage: true });
});

test("a duo practice takes two trainees: the result page, the mail and the history show both", async ({ page }) => {
  // Uses the round published by the first test: a trainer drops out, the O-team gives Anna's
  // trainer a second place, and the A-team couples Bram there by hand.
  const title = `Koppelingsronde maart ${YEAR}`;
  await signIn(page, "a-team@e2e.test");
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  const trainerOf = async (email: string) => {
    const row = (await page.getByRole("row").filter({ hasText: email }).textContent()) ?? "";
    const trainer = TRAINERS.find((t) => row.includes(`jaar 1 bij ${t.name}`));
    expect(trainer, row).toBeDefined();
    return trainer!;
  };
  const duo = await trainerOf(TRAINEES[0].email);
  const leaving = await trainerOf(TRAINEES[1].email);
  expect(leaving.name).not.toBe(duo.name);
  await signOut(page);

  await signIn(page, "o-team@e2e.test");
  await openRoundAsCoordinator(page, title);
  const roundPath = new URL(page.url()).pathname.replace("/admin", "");
  await page.getByLabel("Wie").selectOption({ label: leaving.name });
  await page.locator("#withdraw-reason").fill("Langdurig ziek.");
  await clickAndConfirm(page, "Uitval vastleggen", /De deelnemer doet niet meer mee/);
  await expect(page.getByText("Uitval vastgelegd.")).toBeVisible();
  await page.getByLabel(`Plaatsen voor ${duo.name}`).selectOption("2");
  await expect(page.getByText("Aantal plaatsen opgeslagen.")).toBeVisible();
  await page.locator("#manual-trainee").selectOption({ label: TRAINEES[1].name });
  await page.locator("#manual-trainer").selectOption({ label: duo.name });
  await page.locator("#manual-reason").fill("De duopraktijk neemt Bram over.");
  await page.getByRole("button", { name: "Koppelen", exact: true }).click();
  await expect(page.getByText("Handmatige koppeling vastgelegd.")).toBeVisible();
  await signOut(page);

  // The duo trainer's result page and mail name both trainees.
  await signIn(page, duo.email);
  await page.goto(roundPath);
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const counterparts = page.getByTestId("counterparts");
  await expect(counterparts).toContainText(TRAINEES[0].name);
  await expect(counterparts).toContainText(TRAINEES[1].name);
  await page.screenshot({ path: "artifacts/round-trainer-duo.png", fullPage: true });
  await accessible(page, "the duo trainer's result");
  const [a, b] = [TRAINEES[0].name, TRAINEES[1].name];
  const mail = await sentMail(duo.email, new RegExp(`${a}[\\s\\S]*${b}|${b}[\\s\\S]*${a}`));
  expect(mail.body).toContain(TRAINEES[0].name);
  expect(mail.body).toContain(TRAINEES[1].name);
  await signOut(page);

  // And the history: Bram's year 1 is now with the duo trainer.
  await signIn(page, "a-team@e2e.test");
  await page.getByRole("link", { name: /Aios en opleiders/ }).click();
  await expect(page.getByRole("row").filter({ hasText: TRAINEES[1].email })).toContainText(`jaar 1 bij ${duo.name}`);
  await expect(page.getByRole("row").filter({ hasText: TRAINEES[1].email })).not.toContainText(`jaar 1 bij ${leaving.name}`);
  await signOut(page);
});

test("a coordinator registers a webhook for the institute's system, sees its secret once, sends a test and deletes it", async ({ page }) => {
  await signIn(page, "a-team@e2e.test");
  await page.getByRole("link", { name: "Mail en webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await page.getByLabel("Adres (https://)").fill("http://rooster.example.nl/koppel");
  await page.getByRole("button", { name: "Webhook registreren" }).click();
  await expect(page.locator(".field-error")).toContainText("https://");
  await page.getByLabel("Adres (https://)").fill("https://rooster.example.nl/koppel");
  await page.getByLabel("deelnemer uitgevallen").check();
  await page.getByLabel("Waarvoor (optioneel)").fill("Roostersysteem");
  await page.getByRole("button", { name: "Webhook registreren" }).click();
  await expect(page.getByText("Webhook geregistreerd.")).toBeVisible();
  await expect(page.getByTestId("webhook-secret")).toHaveValue(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const hooks = page.getByTestId("webhooks");
  await expect(hooks).toContainText("https://rooster.example.nl/koppel");
  await expect(hooks).toContainText("ronde naar een volgende fase, koppeling gepubliceerd, deelnemer uitgevallen");
  await page.getByRole("button", { name: "Testbericht" }).click();
  await expect(page.getByText("Testbericht verstuurd.")).toBeVisible();
  await page.getByText("Verzonden berichten").click();
  await expect(hooks).toContainText(/test · wacht op (verzending|een nieuwe poging)/);
  await accessible(page, "the webhooks");
  await page.screenshot({ path: "artifacts/webhooks.png", fullPage: true });
  // After a reload the secret is gone for good.
  await page.reload();
  await expect(page.getByTestId("webhooks")).toBeVisible();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await clickAndConfirm(page, "Verwijderen", /Er gaan geen berichten meer heen/);
  await expect(page.getByText("Webhook verwijderd.")).toBeVisible();
  await expect(page.getByText("Nog geen webhooks.")).toBeVisible();
  await signOut(page);
});

test("a forgotten password is reset from the mail, and a deactivated account cannot sign in", async ({ page }) => {
  // Uses the institute and accounts of the round test above.
  const [cato, bram] = [TRAINEES[2], TRAINEES[1]];
  await page.goto("/login");
  await page.getByRole("link", { name: "Wachtwoord vergeten?" }).click();
  await page.getByLabel("E-mailadres").fill(cato.email);
  await page.getByRole("button", { name: "Stuur de link" }).click();
  await expect(page.getByRole("status")).toContainText("Als dit adres bij Koppel bekend is");
  await page.screenshot({ path: "artifacts/forgot-password.png", fullPage: true });
  await accessible(page, "the forgot-password page");
  await page.goto(await mailLink(cato.email, "/reset"));
  await page.getByLabel("Nieuw wachtwoord", { exact: true }).fill("een heel nieuw wachtwoord");
  await page.getByLabel("Herhaal wachtwoord").fill("een heel nieuw wachtwoord");
  await page.getByRole("button", { name: "Wachtwoord opslaan en inloggen" }).click();
  await expect(page.getByRole("heading", { name: `Welkom, ${cato.name}` })).toBeVisible();
  await signOut(page);

  await signIn(page, "admin@demo.koppel.test", DEMO_PASSWORD);
  await page.getByRole("link", { name: /Opleidingsinstituten/ }).click();
  await page.getByRole("listitem").filter({ hasText: INSTITUTE }).getByRole("button", { name: "Gebruikers" }).click();
  await clickAndConfirm(page, `Deactiveren: ${bram.name}`, /wordt meteen uitgelogd/);
  await expect(page.getByRole("row").filter({ hasText: bram.email })).toContainText("gedeactiveerd");
  await page.screenshot({ path: "artifacts/admin-users.png", fullPage: true });
  await accessible(page, "the users of an institute");
  await signOut(page);
  await page.getByLabel("E-mailadres").fill(bram.email);
  await page.getByLabel("Wachtwoord").fill(PASSWORD);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await expect(page.getByRole("alert")).toHaveText("Het e-mailadres of wachtwoord klopt niet.");
});
