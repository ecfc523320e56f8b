// The generated TypeScript client (openapi-typescript types + openapi-fetch) against a server
// with the demo data: the A-team signs in and reads its round's progress; then the public
// verification document of the drawn demo lottery is fetched and checked: the secret matches
// the commitment published before the draw, the seed is made from the secret and the public
// value, and the order follows from the seed.
//
// Usage: node dist/progress.js BASE_URL

import { createHash, createHmac } from "node:crypto";
import createClient from "openapi-fetch";
import type { paths } from "./generated/koppel.js";

const base = process.argv[2] ?? "http://127.0.0.1:8080";
const anonymous = createClient<paths>({ baseUrl: base });
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function fail(message: string): never {
  console.error(`typescript client: ${message}`);
  process.exit(1);
}

/** The RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) of a base32 secret at `at` (ms). */
function totp(secret: string, at: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = digest[digest.length - 1]! & 15;
  return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

async function signIn(email: string, one_time_code?: string) {
  const { data, error } = await anonymous.POST("/api/v1/auth/login", {
    body: { email, password: "demo-wachtwoord", one_time_code },
  });
  if (!data) fail(`sign-in of ${email}: ${JSON.stringify(error)}`);
  return createClient<paths>({
    baseUrl: base,
    headers: { Authorization: `Bearer ${data.access_token}` },
  });
}

// The A-team reads the progress of its institute's round.
const aTeam = await signIn("a-team@demo.koppel.test");
const { data: me } = await aTeam.GET("/api/v1/me");
const institute = me?.institute?.id ?? fail("the A-team has no institute");
const { data: rounds } = await aTeam.GET("/api/v1/institutes/{institute_id}/rounds", {
  params: { path: { institute_id: institute } },
});
const round = rounds?.items[0] ?? fail("no round");
const { data: progress, error } = await aTeam.GET("/api/v1/rounds/{round_id}/progress", {
  params: { path: { round_id: round.id } },
});
if (!progress) fail(`progress: ${JSON.stringify(error)}`);
console.log(`round ${round.id}: phase ${progress.phase}`);
for (const step of progress.steps) {
  console.log(`  ${step.step}: ${step.done.length} done, ${step.not_done.length} to go (deadline ${step.deadline ?? "-"})`);
}
// What the demo round's progress must say: its phase, every step once, nobody both done and not
// done, everyone taking part counted in the profiles step as in the activation, and the
// preferences step counting trainees only (fewer than everyone).
if (progress.phase !== round.phase) fail(`progress says phase ${progress.phase}, the round ${round.phase}`);
const steps = new Map(progress.steps.map((step) => [step.step, step]));
if (steps.size !== progress.steps.length) fail("a step is listed twice");
const total = (name: string) => {
  const step = steps.get(name) ?? fail(`no ${name} step`);
  const done = new Set(step.done.map((p) => p.id));
  if (step.not_done.some((p) => done.has(p.id))) fail(`someone is both done and not done in ${name}`);
  return step.done.length + step.not_done.length;
};
if (total("profiles") === 0 || total("profiles") !== total("activation")) fail("the profiles step does not count everyone taking part");
if (total("preferences") === 0 || total("preferences") >= total("profiles")) fail("the preferences step does not count the trainees only");

// The drawn demo lottery's public verification document, checked.
// A code is accepted once, and one step early: the next step's code, as the Python scenario may
// just have used the current one.
const admin = await signIn("admin@demo.koppel.test", totp("KOPPELDEMOADMINTOTPSECRETA234567", Date.now() + 30_000));
const { data: lotteries } = await admin.GET("/api/v1/lotteries");
const drawn = lotteries?.items.find((l) => l.status === "drawn") ?? fail("no drawn lottery");
const { data: doc } = await anonymous.GET("/api/v1/lotteries/{lottery_id}/verification", {
  params: { path: { lottery_id: drawn.id } },
});
if (!doc?.secret || !doc.public_value || !doc.seed || !doc.outcome) fail("the document is incomplete");
if (sha256(doc.secret) !== doc.seed_commitment) fail("the secret does not match the commitment");
if (sha256(`${doc.secret}:${doc.public_value}`) !== doc.seed) fail("the seed is not made from the secret and the public value");
const order = doc.outcome.order.map((entry) => entry.candidate);
const expected = [...order].sort((a, b) => {
  const [ka, kb] = [sha256(`${doc.seed}:${a}`), sha256(`${doc.seed}:${b}`)];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
});
if (order.join() !== expected.join()) fail("the order does not follow from the seed");
console.log(`lottery ${drawn.id} (${drawn.name}): commitment, seed and the order of ${order.length} candidates check out`);
console.log("typescript client: OK");
