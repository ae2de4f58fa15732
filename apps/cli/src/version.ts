/** The CLI's version: printed by `--version`, written in the daemon's owner record, compared by preflight. */
export { cairnVersion as cliVersion } from "@cairn/core/version";
