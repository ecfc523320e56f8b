// Starts the Koppel SPA. A file of its own, not an inline script, so the Content-Security-Policy
// can forbid inline scripts altogether.
import init from "/koppel.js";

init({ module_or_path: "/koppel_bg.wasm" });
