// The web UI's tests drive a real browser: Debian's chromium-headless-shell, with playwright-core
// (whose own browser download cannot work here). `npm test` makes sure it is installed, so the
// README's test command is the whole set-up on a fresh machine; CAIRN_CHROMIUM names another one.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const browser = process.env.CAIRN_CHROMIUM ?? "/usr/bin/chromium-headless-shell";
if (!existsSync(browser)) {
  const root = process.getuid?.() === 0;
  const run = (command) =>
    execFileSync(root ? command[0] : "sudo", root ? command.slice(1) : ["-n", ...command], { stdio: "inherit" });
  console.log(`installing Debian's chromium-headless-shell for the web UI's browser tests (${browser} is missing)`);
  try {
    run(["apt-get", "update", "-qq"]);
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium-headless-shell"]);
  } catch (error) {
    console.error(
      `Could not install chromium-headless-shell (${error.message}). Install it with\n` +
        "  apt-get install -y --no-install-recommends chromium-headless-shell\n" +
        "or point CAIRN_CHROMIUM at a Chromium binary.",
    );
    process.exit(1);
  }
}
