// Starts the Koppel SPA. A file of its own, not an inline script, so the Content-Security-Policy
// can forbid inline scripts altogether.
//
// The app comes in builds per kind of user (see src/build.rs): this loads the one this browser
// last chose, the participants' build at first. `just build-spa` fills in the file names, which
// carry their content's hash.
const builds = __BUILDS__;

let chosen = "participant";
try {
  // gloo-storage keeps the choice as JSON.
  const stored = JSON.parse(localStorage.getItem("koppel.app") ?? "null");
  if (typeof stored === "string" && stored in builds) chosen = stored;
} catch (_) {
  // No storage, or something else in it: the participants' build.
}

const build = builds[chosen];
const { default: init } = await import(build.js);
await init({ module_or_path: build.wasm });
